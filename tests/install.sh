#!/bin/sh
# Installs everything the test suite needs, on a fresh Debian machine or an old one:
# the Python packages (requirements-dev.txt), Debian's Chromium for the browser
# tests, a Khmer font, a Java runtime and the W3C's Nu Html Checker (npm's vnu-jar, current,
# where PyPI's copies are years old) for the HTML validation. Safe to run again:
# it installs only what is missing. The suite fails (never skips) without them.
set -eu
cd "$(dirname "$0")/.."
python -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt
missing=""
[ -x /usr/bin/chromium ] || missing="$missing chromium"
command -v java >/dev/null 2>&1 || missing="$missing default-jre-headless"
command -v npm >/dev/null 2>&1 || missing="$missing npm"
# a Khmer font, so the browser tests see Khmer pages laid out as a phone shows them
{ command -v fc-list >/dev/null 2>&1 && [ -n "$(fc-list :lang=km)" ]; } ||
    missing="$missing fonts-khmeros"
if [ -n "$missing" ]; then
    sudo=""
    [ "$(id -u)" -eq 0 ] || sudo="sudo"
    echo "installing Debian packages:$missing"
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq $missing >/dev/null
fi
# npm packages for the tests, pinned: the W3C checker, the axe-core accessibility engine,
# and the web editor's Decap CMS and its local backend at the versions `edit --install`
# installs (loa/decap.py PACKAGES; a test compares them). Installed together: npm drops
# unsaved packages that a later install does not name.
NPM_PACKAGES="vnu-jar@26.9.27 axe-core@4.14.1 decap-cms@3.16.3 decap-server@3.11.3"
for package in $NPM_PACKAGES; do
    grep -qs "\"version\": \"${package##*@}\"" "tests/.node/node_modules/${package%@*}/package.json" ||
        stale=1
done
if [ -n "${stale:-}" ]; then
    npm install --silent --no-save --no-audit --no-fund --prefix tests/.node $NPM_PACKAGES
fi
