"""What this machine needs to run the Kubernetes manifests with podman 4.3 (Debian 12's), for
deploy/check_kubernetes.py: test scaffolding, not a way to deploy.

- ``check_overlay``: a kustomization over the base, generated in a temporary folder, as an
  operator's overlay would be: the image built here (never pulled), the host's network (the
  fake Slack and PostgreSQL are on 127.0.0.1), a port of its own for each process (pods on
  the host's network share its ports; one web pod, as the base leaves the count to the
  autoscaler, which podman doesn't run), the fake Slack's address, a scheduler that ticks
  every ``TICK_SECONDS``.
- ``for_podman``: podman 4.3 plays Pods, Deployments and ConfigMaps only. The Job's pod
  template is played as a Pod; the kinds it would ignore are left out (``NOT_PLAYED``); the
  containers' ports (refused on the host's network) and probes (the check asks /healthz and
  /readyz itself, as the kubelet would) are dropped; a ConfigMap's values are inlined under
  the container's own ``env``, because podman lets the ConfigMap win where Kubernetes lets
  ``env`` win.
- ``podman_secret``: the operator's Secret, as podman 4.3 reads one (its ``kind: Secret``
  support stores YAML it then can't parse).
"""

from __future__ import annotations

import base64
import json
import os
import subprocess
from pathlib import Path

import yaml
from check_image import IMAGE, podman
from kube_manifests import BASE, Document

TICK_SECONDS = 5  # the scheduler pod's --interval here (60 in the manifests)
NOT_PLAYED = ("Service", "PodDisruptionBudget", "HorizontalPodAutoscaler", "NetworkPolicy")
NOT_PLAYED += ("ServiceAccount", "Ingress")


def check_overlay(folder: Path, ports: dict[str, int], api_url: str) -> Path:
    """A kustomization over the base for this machine, written into ``folder``."""

    def pod_patch(kind: str, name: str, container: str, **fields: object) -> dict[str, str]:
        api = {"Job": "batch/v1"}.get(kind, "apps/v1")
        spec = {"hostNetwork": True, "containers": [{"name": container, **fields}]}
        patch = {"apiVersion": api, "kind": kind, "metadata": {"name": name}}
        patch["spec"] = {"template": {"spec": spec}}
        return {"patch": yaml.safe_dump(patch)}

    def env(**values: int) -> list[dict[str, str]]:
        return [{"name": key, "value": str(value)} for key, value in values.items()]

    never = {"imagePullPolicy": "Never"}  # the image built here, never a registry's
    kustomization = {
        "apiVersion": "kustomize.config.k8s.io/v1beta1",
        "kind": "Kustomization",
        "resources": [os.path.relpath(BASE, folder)],  # kustomize takes no absolute path
        "images": [
            {"name": "ssi-leaderboard", "newName": f"localhost/{IMAGE}", "newTag": "latest"}
        ],
        "configMapGenerator": [
            {
                "name": "ssi-leaderboard-settings",
                "behavior": "merge",
                "literals": [f"SLACK_API_URL={api_url}"],
            }
        ],
        "patches": [
            pod_patch(
                "Deployment",
                "ssi-leaderboard-web",
                "web",
                env=env(PORT=ports["web"], METRICS_PORT=ports["web-metrics"]),
                **never,
            ),
            pod_patch(
                "Deployment",
                "ssi-leaderboard-scheduler",
                "scheduler",
                command=["ssi-leaderboard", "scheduler", "--interval", str(TICK_SECONDS)],
                env=env(METRICS_PORT=ports["scheduler-metrics"]),
                **never,
            ),
            pod_patch("Job", "ssi-leaderboard-migrate", "migrate", **never),
        ],
    }
    (folder / "kustomization.yaml").write_text(yaml.safe_dump(kustomization))
    return folder


def for_podman(documents: list[Document]) -> list[Document]:
    """What podman 4.3 can play of a rendering (see above)."""
    settings = {d["metadata"]["name"]: d["data"] for d in documents if d["kind"] == "ConfigMap"}
    played = []
    for document in documents:
        if document["kind"] in (*NOT_PLAYED, "ConfigMap"):
            continue
        if document["kind"] == "Job":
            template = document["spec"]["template"]
            metadata = {"name": document["metadata"]["name"], **template["metadata"]}
            document = {"apiVersion": "v1", "kind": "Pod", "metadata": metadata}
            document["spec"] = template["spec"]
        pod = document["spec"].get("template", {}).get("spec", document["spec"])
        for container in pod["containers"]:
            for key in ("ports", "startupProbe", "readinessProbe", "livenessProbe"):
                container.pop(key, None)
            # Inlined under the container's own `env`, which wins as in Kubernetes.
            own = {variable["name"] for variable in container.get("env", [])}
            sources, container["envFrom"] = container["envFrom"], []
            for source in sources:
                if "configMapRef" in source:
                    values = settings[source["configMapRef"]["name"]].items()
                    inlined = [{"name": k, "value": v} for k, v in values if k not in own]
                    container["env"] = [*container.get("env", []), *inlined]
                else:
                    container["envFrom"].append(source)
        played.append(document)
    return played


def podman_secret(name: str, values: dict[str, str]) -> None:
    """The operator's Secret, as podman 4.3 reads one (JSON, values in base64)."""
    encoded = {k: base64.b64encode(v.encode()).decode() for k, v in values.items()}
    podman("secret", "rm", name, check=False)
    subprocess.run(
        ["podman", "secret", "create", name, "-"],
        input=json.dumps(encoded),
        text=True,
        check=True,
        capture_output=True,
    )
