import os
import subprocess
import sys
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))  # the package from this source tree, without installing it


@pytest.fixture(scope="session")
def suite_dir():
    explicit = os.environ.get("DISKANN_SUITE_DIR")
    if explicit:
        return Path(explicit)
    out = subprocess.run([str(HERE.parent.parent / "suite.sh")], check=True, capture_output=True, text=True)
    return Path(out.stdout.strip().splitlines()[-1])


@pytest.fixture(scope="session", autouse=True)
def jvm():
    # A small heap, so RSS measures leaks rather than the heap growing into free memory. Started from a
    # fixture, after pytest's faulthandler installed its SIGSEGV handler: the JVM must install its own
    # handlers last (it chains to earlier ones), see bindings/python/README.md.
    import diskann

    diskann.init_jvm("-Xmx128m")
