#!/usr/bin/env bash
# The GPU check, on a machine with an NVIDIA GPU and no network:
#
#   bash benchmarks/gpu_check.sh WHEELS_DIR OUT_DIR
#
# 1. installs, from WHEELS_DIR only (pip --no-index), whatever of these is not installed yet:
#    bridgetensor's wheel with its test extra (python -m build --wheel, or pip wheel .),
#    numpy, array-api-compat, array-api-strict, pytest, hypothesis, pytest-xdist,
#    cupy-cuda12x (+ fastrlock), and for the comparison torch built for CUDA 12 with its
#    nvidia-* wheels. Fill the folder on a networked machine of the same platform with
#      pip download -d WHEELS_DIR dist/bridgetensor-*.whl "bridgetensor[test]" \
#          pytest-xdist cupy-cuda12x torch==2.13.0
#    (an empty or missing folder is fine where these are installed already);
# 2. runs the suite with the CuPy backend (pytest directly: tox would need an index), on
#    $WORKERS pytest-xdist workers (2) within $SUITE_TIMEOUT seconds (420);
# 3. runs the seed notebook on the GPU, and the 784-1024-1024-10 MLP step benchmark,
#    bridgetensor on CuPy against PyTorch CUDA on the same GPU.
# Everything lands in OUT_DIR: gpu_check.log, nvidia-smi.txt, cupy-junit.xml,
# cupy-failures.txt (failing test ids, in tests/backends/*.txt's format), seed_notebook.txt,
# gpu_mlp.json. It exits non-zero when a step failed.
set -uo pipefail
wheels=${1:?usage: gpu_check.sh WHEELS_DIR OUT_DIR}
out=${2:?usage: gpu_check.sh WHEELS_DIR OUT_DIR}
mkdir -p "$out"
out=$(cd "$out" && pwd)
cd "$(dirname "$0")/.."
exec > >(tee "$out/gpu_check.log") 2>&1
python=${PYTHON:-python3}
status=0
# The JAX backend's tests run on the CPU here: JAX on the GPU would take 75% of its memory
# in every pytest worker (preallocation), and CuPy's tests would run out of it.
export JAX_PLATFORMS=${JAX_PLATFORMS:-cpu} XLA_PYTHON_CLIENT_PREALLOCATE=false

nvidia-smi > "$out/nvidia-smi.txt" 2>&1 || echo "nvidia-smi not found"

if [ -d "$wheels" ] && ls "$wheels"/*.whl > /dev/null 2>&1; then
    install() { "$python" -m pip install --quiet --no-index --find-links "$wheels" "$@"; }
    install "bridgetensor[test]" pytest-xdist || echo "bridgetensor's wheel not installed"
    install cupy-cuda12x || echo "CuPy not installed from $wheels"
    "$python" -c "import torch" 2> /dev/null || install torch || echo "no torch in $wheels"
fi
# Test the working tree unless a bridgetensor wheel got installed.
"$python" -c "import bridgetensor" 2> /dev/null || export PYTHONPATH="$PWD/src"
"$python" - <<'PY' || { echo "CuPy cannot use a GPU here: stopping"; exit 1; }
import cupy
n = cupy.cuda.runtime.getDeviceCount()
print(f"CuPy {cupy.__version__}, {n} GPU(s):", cupy.cuda.runtime.getDeviceProperties(0)["name"].decode())
PY

echo "== the suite on CuPy (stopped with SIGINT at the limit, so that pytest still reports)"
workers=$("$python" -c "import xdist" 2> /dev/null && echo "-n ${WORKERS:-2}" || echo "")
BRIDGETENSOR_BACKEND=cupy timeout -s INT -k 30 "${SUITE_TIMEOUT:-420}" "$python" -m pytest tests \
    $workers -q -p no:cacheprovider -o addopts="--strict-markers -ra" --timeout=60 \
    --junitxml="$out/cupy-junit.xml" || status=1
"$python" - "$out" <<'PY'
import sys, xml.etree.ElementTree as ET
out = sys.argv[1]
lines = []
for case in ET.parse(f"{out}/cupy-junit.xml").iter("testcase"):
    bad = case.find("failure") if case.find("failure") is not None else case.find("error")
    if bad is not None:
        path = case.get("classname").replace(".", "/")
        message = (bad.get("message") or "").splitlines()[0][:100] if bad.get("message") else ""
        lines.append(f"{path}.py::{case.get('name')}  # {message or 'fails on CuPy'}")
open(f"{out}/cupy-failures.txt", "w").write("\n".join(lines) + "\n")
print(f"{len(lines)} failing tests listed in cupy-failures.txt")
PY

echo "== the seed notebook on the GPU"
BRIDGETENSOR_BACKEND=cupy timeout 90 "$python" examples/seed_notebook.py \
    > "$out/seed_notebook.txt" 2>&1 || { status=1; tail -5 "$out/seed_notebook.txt"; }

echo "== MLP step: bridgetensor on CuPy vs PyTorch CUDA"
timeout 150 "$python" benchmarks/gpu_mlp.py --out "$out" || status=1
exit $status
