#!/usr/bin/env bash
# Long fuzz run over ddcheck's readers (issue 15): scripts/fuzz.sh [N] [--seed S] [--start K] [--jobs J]
# Seeded mutations of the bundled checklists, the examples and generated answer files, each run
# through the real CLI; failing inputs are copied to ./fuzz-findings/. Exit 1 when anything is found.
set -euo pipefail
cd "$(dirname "$0")/.."
[ -x .venv/bin/python ] || bash scripts/setup-env.sh >/dev/null
count="${1:-2000}"
shift || true
# Cases 0..39 run in every test run (tests/test_fuzz.py); by default a long run starts after them.
exec .venv/bin/python tests/fuzzing.py "$count" --start 1000 --jobs 2 "$@"
