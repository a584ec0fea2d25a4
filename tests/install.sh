#!/bin/sh
# Installs everything the test suite needs, on a fresh Debian machine or an old one:
# the Python packages (requirements-dev.txt), Debian's Chromium for the browser
# tests and a Java runtime for the HTML validator. Safe to run again: it installs
# only what is missing. The suite fails (never skips) when any of these is absent.
set -eu
cd "$(dirname "$0")/.."
python -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt
missing=""
[ -x /usr/bin/chromium ] || missing="$missing chromium"
command -v java >/dev/null 2>&1 || missing="$missing default-jre-headless"
if [ -n "$missing" ]; then
    sudo=""
    [ "$(id -u)" -eq 0 ] || sudo="sudo"
    echo "installing Debian packages:$missing"
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq $missing >/dev/null
fi
