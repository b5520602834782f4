#!/usr/bin/env bash
# Writes a named synthetic dataset into datasets/synthetic/data/<name>/ (see README.md).
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
name="${1:-}"
case "$name" in
  clusters-1m-128)          args=(--kind clusters -n 1000000 --dim 128 --queries 10000 --clusters 1024 --metric l2) ;;
  clusters-5m-128)          args=(--kind clusters -n 5000000 --dim 128 --queries 1000 --clusters 4096 --metric l2) ;;
  clusters-1m-128-u8)       args=(--kind clusters -n 1000000 --dim 128 --queries 10000 --clusters 1024 --metric l2 --type u8) ;;
  clusters-5m-128-u8)       args=(--kind clusters -n 5000000 --dim 128 --queries 1000 --clusters 4096 --metric l2 --type u8) ;;
  subspace-1m-128-u8)       args=(--kind subspace --intrinsic 16 --spread 0.1 -n 1000000 --dim 128 --queries 1000 --clusters 1024 --metric l2 --type u8) ;;
  subspace-5m-128-u8)       args=(--kind subspace --intrinsic 16 --spread 0.1 -n 5000000 --dim 128 --queries 1000 --clusters 4096 --metric l2 --type u8) ;;
  clusters-100k-96)         args=(--kind clusters -n 100000 --dim 96 --queries 10000 --clusters 256 --metric l2) ;;
  clusters-100k-96-cosine)  args=(--kind clusters -n 100000 --dim 96 --queries 10000 --clusters 256 --metric cosine) ;;
  clusters-100k-96-ip)      args=(--kind clusters -n 100000 --dim 96 --queries 10000 --clusters 256 --metric ip) ;;
  uniform-100k-32)          args=(--kind uniform -n 100000 --dim 32 --queries 10000 --metric l2) ;;
  *) echo "usage: $0 clusters-1m-128|clusters-5m-128|clusters-1m-128-u8|clusters-5m-128-u8|subspace-1m-128-u8|subspace-5m-128-u8|clusters-100k-96|clusters-100k-96-cosine|clusters-100k-96-ip|uniform-100k-32" >&2; exit 2 ;;
esac
out="$HERE/data/$name"
if [ -f "$out/gt.ivecs" ]; then echo "$out already prepared"; exit 0; fi
# the 5M sets are generated in one array and copied once (2 x 2.4 GiB): more than the default heap
case "$name" in *-5m-*) export DISKANN_JVM_OPTS="${DISKANN_JVM_OPTS:-} -Xmx12g" ;; esac
"$ROOT/diskann" synth "${args[@]}" --seed 42 -k 100 --out "$out"
