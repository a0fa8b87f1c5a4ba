#!/usr/bin/env bash
# Set up .venv from the committed, address-free lock (requirements.lock). Idempotent and quick
# when nothing changed. Needs only Python 3.11 and pip; installs uv if it is missing.
set -euo pipefail
cd "$(dirname "$0")/.."

PYTHON=${PYTHON:-python3.11}
command -v "$PYTHON" >/dev/null 2>&1 || PYTHON=python3

if ! command -v uv >/dev/null 2>&1; then
  "$PYTHON" -m pip install --quiet --disable-pip-version-check uv
fi
UV=(uv)
command -v uv >/dev/null 2>&1 || UV=("$PYTHON" -m uv)

export UV_PYTHON_DOWNLOADS=never
stamp=.venv/.staffpath-lock
want=$(cat requirements.lock pyproject.toml | "$PYTHON" -c 'import hashlib,sys; print(hashlib.sha256(sys.stdin.buffer.read()).hexdigest())')
if [ -x .venv/bin/python ] && [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ]; then
  exit 0
fi
[ -x .venv/bin/python ] || "${UV[@]}" venv --quiet --python "$PYTHON" .venv
# Bytecode is compiled here, once: where PYTHONDONTWRITEBYTECODE is set (as on this project's
# machines) Python never writes it, and every process compiled its imports from source, about
# 3 s of every `staffpath` command and of every server and CLI process the tests start.
"${UV[@]}" pip sync --quiet --compile-bytecode --python .venv/bin/python requirements.lock
"${UV[@]}" pip install --quiet --compile-bytecode --python .venv/bin/python --no-deps -e .
.venv/bin/python -m compileall -q -j 0 src benchmarks >/dev/null
# numba's first compile of the simulator takes tens of seconds: spend them here, once, rather
# than in someone's first simulation (later processes load the kernel from numba's cache).
echo "bootstrap: compiling the simulator's kernel (once; about half a minute)" >&2
.venv/bin/python -c "from staffpath.engine.simulate import warm; warm()"
echo "$want" > "$stamp"
