#!/usr/bin/env bash
# Installs the reference PyTorch (Debian's python3-torch 1.13.1) used to regenerate parity fixtures and to run
# the PyTorch side of the benchmarks. Tests never need it: they read the committed fixtures.
set -euo pipefail
if /usr/bin/python3 -c "import torch, numpy" 2>/dev/null; then exit 0; fi
SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq python3-torch python3-numpy
