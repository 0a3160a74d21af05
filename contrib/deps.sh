#!/usr/bin/env bash
# Installs the Debian packages that building and testing vfu-conform needs.
# Runs as root, or through sudo when it is there.
set -euo pipefail
pkgs=(build-essential autoconf automake autoconf-archive pkg-config
      check libyaml-dev libpcap-dev libjson-c-dev valgrind)
missing=()
for p in "${pkgs[@]}"; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" ||
		missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0
if [ "$(id -u)" -eq 0 ]; then as_root=(); else as_root=(sudo); fi
export DEBIAN_FRONTEND=noninteractive
"${as_root[@]}" apt-get update -qq
"${as_root[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"
