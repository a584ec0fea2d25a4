#!/bin/sh
# Installs everything the test suite needs, on a fresh Debian machine or an old one:
# the Python packages (requirements-dev.txt), Debian's Chromium for the browser
# tests, a Khmer font, a Java runtime and the W3C's Nu Html Checker (npm's vnu-jar, current,
# where PyPI's copies are years old) for the HTML validation, and Debian's nginx (with its
# brotli_static module where Debian has it) to serve docs/nginx.conf. Safe to run again:
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
# nginx serves a built site with docs/nginx.conf (tests/e2e/test_hosting.py). Its Brotli
# module is wanted too, where Debian has it (a release without it asks apt at every run):
# the test checks the .br copies wherever nginx has the module.
[ -x /usr/sbin/nginx ] || missing="$missing nginx"
[ -e /usr/lib/nginx/modules/ngx_http_brotli_static_module.so ] ||
    wanted="libnginx-mod-http-brotli-static"
sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"
if [ -n "$missing${wanted:-}" ]; then
    $sudo apt-get update -qq
    if [ -n "${wanted:-}" ] && apt-cache policy "$wanted" | grep -q 'Candidate: [0-9]'; then
        missing="$missing $wanted"
    fi
fi
if [ -n "$missing" ]; then
    echo "installing Debian packages:$missing"
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
