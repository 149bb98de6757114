#!/usr/bin/env bash
# Install the Debian packages the browser tests need, unless they are already there.
set -euo pipefail
need=()
command -v chromium >/dev/null 2>&1 || need+=(chromium)
fc-list 2>/dev/null | grep -qi 'wqy\|WenQuanYi' || need+=(fonts-wqy-microhei)
command -v fc-list >/dev/null 2>&1 || need+=(fontconfig)
((${#need[@]})) || exit 0
echo "installing Debian packages: ${need[*]}"
SUDO=""
[[ $(id -u) -eq 0 ]] || SUDO="sudo"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
