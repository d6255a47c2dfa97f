#!/usr/bin/env bash
# Render the Kubernetes manifests (deploy/kubernetes/), validate them against the pinned
# Kubernetes version's schemas, and run them with `podman kube play` on the image that
# deploy/check-image.sh built, against the machine's PostgreSQL and the fake Slack.
# Needs podman (../shared/tools/container-engine.sh) and the image `ssi` (check-image.sh).
#
#   deploy/check-kubernetes.sh
set -euo pipefail
cd "$(dirname "$0")/.."
exec uv run python deploy/check_kubernetes.py "$@"
