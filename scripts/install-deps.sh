#!/usr/bin/env bash
# Installs the Debian packages kconform builds and tests against, when any is missing.
# libhdf5 and libzip write files and serve as test oracles; they never parse untrusted input.
# time and strace measure and watch kconform in the resource and isolation tests.
set -euo pipefail
packages=(libhdf5-dev libzip-dev zlib1g-dev pkg-config time strace)
missing=()
for package in "${packages[@]}"; do
  dpkg -s "$package" >/dev/null 2>&1 || missing+=("$package")
done
if [ "${#missing[@]}" -eq 0 ]; then
  exit 0
fi
echo "installing: ${missing[*]}"
sudo=""
if [ "$(id -u)" -ne 0 ]; then sudo="sudo"; fi
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
$sudo apt-get install -y -qq "${missing[@]}"
