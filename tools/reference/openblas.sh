#!/usr/bin/env bash
# Fetches Debian's OpenBLAS (libopenblas0-pthread) into /tmp/openblas WITHOUT installing it, so PyTorch can be
# benchmarked on OpenBLAS (LD_LIBRARY_PATH) while the system keeps its BLAS. Used by bench/compare.py.
set -euo pipefail
dest=${1:-/tmp/openblas}
lib="$dest/root/usr/lib/x86_64-linux-gnu/openblas-pthread"
if [ -f "$lib/libblas.so.3" ]; then echo "$lib"; exit 0; fi
mkdir -p "$dest"
( cd "$dest" && apt-get download libopenblas0-pthread >/dev/null && dpkg-deb -x libopenblas0-pthread_*.deb root )
echo "$lib"
