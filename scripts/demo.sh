#!/usr/bin/env bash
# The main job on a fresh machine: install, then render the bundled example assessments to PDF.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup-env.sh
exec .venv/bin/ddcheck demo "$@"
