#!/usr/bin/env bash
# Installs the Debian packages pie builds and tests against, only when one is missing.
# Swift packages come through SwiftPM (Package.swift); nothing else is fetched.
set -euo pipefail

packages=(bubblewrap libseccomp-dev libcurl4-openssl-dev libssl-dev libsqlite3-dev libedit-dev pkg-config tmux python3)
if [[ "${BENCH:-}" == "1" ]]; then
  packages+=(hyperfine ripgrep)
fi

missing=()
for package in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$package")
  fi
done
[[ ${#missing[@]} -eq 0 ]] && exit 0

echo "installing: ${missing[*]}"
sudo=""
if [[ $(id -u) -ne 0 ]]; then
  command -v sudo >/dev/null || { echo "error: need root or sudo to apt-get install ${missing[*]}" >&2; exit 1; }
  sudo="sudo"
fi
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
$sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
