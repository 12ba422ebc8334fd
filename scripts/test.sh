#!/usr/bin/env bash
# Set up (as scripts/setup.sh), start PostgreSQL on loopback, lint, and run the tests.
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/setup.sh
export TASKSHEET_TEST_PG_URL=${TASKSHEET_TEST_PG_URL:-$(./scripts/pg.sh)}
.venv/bin/ruff check .
.venv/bin/python -m pytest -q "$@"
