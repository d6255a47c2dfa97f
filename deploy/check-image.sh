#!/usr/bin/env bash
# Build the image from the Dockerfile, unchanged, and check it as an operator would: size,
# non-root, /healthz and /readyz with the fake Slack, migrations in the /data volume, the
# health check, SIGTERM stops; on SQLite and on the machine's PostgreSQL.
# Needs podman (on machines without Docker: ../shared/tools/container-engine.sh first).
#
#   deploy/check-image.sh [--no-build] [--no-postgres]
set -euo pipefail
cd "$(dirname "$0")/.."
exec uv run python deploy/check_image.py "$@"
