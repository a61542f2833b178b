#!/bin/sh
# Installs the Debian packages listed in scripts/packages.txt that are not installed yet.
# Called by `make demo` and `make test`, so a fresh Debian machine (as root) needs nothing done by hand.
set -eu
here=$(dirname "$0")
missing=""
for pkg in $(sed -e 's/#.*//' "$here/packages.txt"); do
    if ! dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed'; then
        missing="$missing $pkg"
    fi
done
[ -z "$missing" ] && exit 0
echo "install-deps: installing$missing" >&2
if [ "$(id -u)" -ne 0 ]; then
    echo "install-deps: need root to apt-get install$missing" >&2
    exit 1
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
# shellcheck disable=SC2086
apt-get install -y -qq --no-install-recommends $missing >/dev/null
