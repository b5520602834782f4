#!/usr/bin/env bash
# Runs every language binding's tests against the C library Maven built (bindings/c/target/native), after
# writing the shared suite. The C tests run in `mvn verify` (bindings/c); this script runs Python, Node.js,
# Go and C#, then checks once more that every language's saved index loads in Python.
#
# A language whose toolchain is missing is skipped with a message, unless DISKANN_BINDINGS_REQUIRED=1
# (set by .ci/run, which installs them all first).
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
NATIVE="$HERE/c/target/native"
[ -f "$NATIVE/libdiskann.so" ] || { echo "bindings: $NATIVE/libdiskann.so is missing; build first (./diskann test or mvn package)" >&2; exit 1; }
REQUIRED="${DISKANN_BINDINGS_REQUIRED:-0}"
# JVM options for every test process: logs from the JVM's start are noise here
export DISKANN_SUITE_DIR; DISKANN_SUITE_DIR="$("$HERE/suite.sh" | tail -n1)"
rm -f "$DISKANN_SUITE_DIR"/saved/*.idx
ran=()
skipped=()

have() { # $1 = language, $2.. = commands it needs
  local lang="$1"; shift
  for c in "$@"; do
    if ! command -v "$c" >/dev/null 2>&1; then
      if [ "$REQUIRED" = 1 ]; then echo "bindings: $lang needs '$c', which is not installed" >&2; exit 1; fi
      echo "bindings: skipping $lang ('$c' is not installed)" >&2
      skipped+=("$lang"); return 1
    fi
  done
}

section() { echo; echo "=== bindings: $1 ==="; }

if have python python3; then
  if python3 -c 'import numpy, pytest' 2>/dev/null; then
    section python
    (cd "$HERE/python" && python3 -m pytest -q -p no:cacheprovider tests && python3 example.py)
    ran+=(python)
  elif [ "$REQUIRED" = 1 ]; then echo "bindings: python needs numpy and pytest" >&2; exit 1
  else echo "bindings: skipping python (numpy or pytest missing)" >&2; skipped+=(python); fi
fi

if have node node npm; then
  section node
  if (cd "$HERE/node" && { [ -d node_modules/node-gyp ] || npm install --ignore-scripts --no-audit --no-fund --loglevel=error; }); then
    (cd "$HERE/node" && npx node-gyp rebuild --nodedir="${NODE_DIR:-$(dirname "$(dirname "$(command -v node)")")}" \
      --loglevel=warn >/dev/null && node --test test/ && node example.js)
    ran+=(node)
  elif [ "$REQUIRED" = 1 ]; then echo "bindings: node needs node-gyp from the npm registry, which npm could not install" >&2; exit 1
  else echo "bindings: skipping node (npm could not install node-gyp; offline?)" >&2; skipped+=(node); fi
fi

if have go go; then
  section go
  (cd "$HERE/go" && go vet ./... && go test -count=1 ./...)
  ran+=(go)
fi

if have csharp mcs mono; then
  section csharp
  make -s -C "$HERE/csharp" test
  ran+=(csharp)
fi

if [[ " ${ran[*]} " == *" python "* ]] && [ "${#ran[@]}" -gt 1 ]; then
  section "every saved index loads in python"
  (cd "$HERE/python" && python3 -m pytest -q -p no:cacheprovider tests/test_suite.py -k other_languages)
fi
echo
echo "bindings: ran ${ran[*]:-none}${skipped:+; skipped ${skipped[*]}}"
