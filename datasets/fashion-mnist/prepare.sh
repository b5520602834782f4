#!/usr/bin/env bash
# Turns Debian's dataset-fashion-mnist package into fvecs/ivecs files for ./diskann:
#   data/base.fvecs   60,000 x 784 training images (pixels 0..255 as floats)
#   data/query.fvecs  10,000 x 784 test images
#   data/gt.ivecs     exact top-100 L2 neighbours of each query in base
#   data/base-labels.txt, data/query-labels.txt   class (0..9) per line, for filtered search
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
SRC=/usr/share/datasets/fashion-mnist
OUT="$HERE/data"
if [ ! -f "$SRC/train-images-idx3-ubyte.gz" ]; then
  echo "installing Debian's dataset-fashion-mnist ..." >&2
  if [ "$(id -u)" = 0 ]; then apt-get update -qq && apt-get install -y -qq dataset-fashion-mnist >&2
  else echo "run as root or: sudo apt-get install dataset-fashion-mnist" >&2; exit 1; fi
fi
mkdir -p "$OUT"
"$ROOT/diskann" convert --idx "$SRC/train-images-idx3-ubyte.gz" --out "$OUT/base.fvecs"
"$ROOT/diskann" convert --idx "$SRC/t10k-images-idx3-ubyte.gz" --out "$OUT/query.fvecs"
"$ROOT/diskann" convert --idx "$SRC/train-labels-idx1-ubyte.gz" --out "$OUT/base-labels.txt"
"$ROOT/diskann" convert --idx "$SRC/t10k-labels-idx1-ubyte.gz" --out "$OUT/query-labels.txt"
"$ROOT/diskann" gt --base "$OUT/base.fvecs" --query "$OUT/query.fvecs" -k 100 --metric l2 --out "$OUT/gt.ivecs"
echo "Fashion-MNIST ready in $OUT"
