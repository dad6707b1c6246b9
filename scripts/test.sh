#!/usr/bin/env bash
# The whole test suite on a fresh machine: install, then run pytest (extra arguments go to pytest).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup-env.sh
# One line naming missing system packages (tests needing them skip); stops if Pango is missing.
.venv/bin/python scripts/check-system.py || exit $?
exec .venv/bin/python -m pytest -q "$@"
