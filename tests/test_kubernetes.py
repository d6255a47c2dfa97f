"""The Kubernetes manifests in ``deploy/kubernetes/``: the base and every overlay render with
``kubectl kustomize`` and are valid for the pinned Kubernetes version, and they hold what the
deployment promises (probes, non-root, read-only root filesystem, no token, settings that
exist, metrics never in a Service). deploy/check-kubernetes.sh runs them with podman."""

from __future__ import annotations

import re
import sys
from pathlib import Path
from typing import Any

import pytest

from slackapp.settings import Settings

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "deploy"))
from kube_manifests import BASE, KUSTOMIZE, OVERLAYS, find, rendered

MAX_STOP_SECONDS = 5  # deploy/check_image.py holds `serve` and `scheduler` to it
Document = dict[str, Any]


def _pods(documents: list[Document]) -> dict[str, Document]:
    """Each workload's pod spec, by its name."""
    return {
        d["metadata"]["name"]: d["spec"]["template"]["spec"]
        for d in documents
        if d["kind"] in ("Deployment", "Job")
    }


@pytest.fixture(scope="module")
def base() -> list[Document]:
    return rendered(BASE)


@pytest.mark.parametrize("folder", OVERLAYS, ids=lambda folder: folder.name)
def test_each_overlay_renders_valid(folder: Path) -> None:
    assert rendered(folder)


def test_the_overlays_are_the_ones_the_readme_names() -> None:
    assert {folder.name for folder in OVERLAYS} == {"ingress", "socket-mode"}
    readme = (KUSTOMIZE.parent.parent / "README.md").read_text()
    assert all(f"deploy/kubernetes/overlays/{folder.name}" in readme for folder in OVERLAYS)


def test_no_secret_is_committed(base: list[Document]) -> None:
    assert not [d for d in base if d["kind"] == "Secret"]
    for pod in _pods(base).values():
        for container in pod["containers"]:
            refs = [s["secretRef"]["name"] for s in container["envFrom"] if "secretRef" in s]
            assert refs == ["ssi-leaderboard"]  # the operator's, README.md names its keys


def test_every_setting_in_the_config_map_is_one_the_app_reads(base: list[Document]) -> None:
    settings = find(base, "ConfigMap")["data"]
    assert set(settings) <= {name.upper() for name in Settings.model_fields}
    assert settings["METRICS_HOST"] == "0.0.0.0"


def test_pods_run_unprivileged_on_a_read_only_root(base: list[Document]) -> None:
    for name, pod in _pods(base).items():
        assert pod["automountServiceAccountToken"] is False, name
        assert pod["securityContext"]["runAsNonRoot"] is True, name
        assert pod["securityContext"]["runAsUser"] == 10001, name  # the image's user
        (container,) = pod["containers"]
        assert container["securityContext"]["readOnlyRootFilesystem"] is True, name
        assert container["securityContext"]["capabilities"]["drop"] == ["ALL"], name
        assert {"cpu", "memory"} <= set(container["resources"]["requests"]), name
        assert "memory" in container["resources"]["limits"], name
        mounts = {m["mountPath"]: m["name"] for m in container["volumeMounts"]}
        volumes = {v["name"]: v for v in pod["volumes"]}
        assert "emptyDir" in volumes[mounts["/tmp"]], name
        env = {e["name"]: e.get("value") for e in container.get("env", [])}
        assert env.get("MPLCONFIGDIR", "/tmp/").startswith("/tmp/"), name


def test_the_web_pods_probes_and_ports(base: list[Document]) -> None:
    web = _pods(base)["ssi-leaderboard-web"]
    (container,) = web["containers"]
    assert container["readinessProbe"]["httpGet"]["path"] == "/readyz"
    assert container["livenessProbe"]["httpGet"]["path"] == "/healthz"
    assert container["startupProbe"]["httpGet"]["path"] == "/healthz"
    ports = {p["name"]: p["containerPort"] for p in container["ports"]}
    env = {e["name"]: e["value"] for e in container["env"]}
    assert ports["http"] == int(env["PORT"])
    assert "--no-scheduler" in container["command"]  # the scheduler Deployment ticks
    # preStop's sleep, then the app's own stop, within the grace period.
    (sleep,) = [int(s) for s in container["lifecycle"]["preStop"]["exec"]["command"][1:]]
    assert sleep + MAX_STOP_SECONDS < web["terminationGracePeriodSeconds"]


def test_metrics_are_declared_on_every_long_running_pod_and_routed_nowhere(
    base: list[Document],
) -> None:
    port = int(find(base, "ConfigMap")["data"]["METRICS_PORT"])
    for deployment in (d for d in base if d["kind"] == "Deployment"):
        template = deployment["spec"]["template"]
        (container,) = template["spec"]["containers"]
        assert {"name": "metrics", "containerPort": port} in container["ports"]
        annotations = template["metadata"]["annotations"]
        assert annotations["prometheus.io/scrape"] == "true"
        assert annotations["prometheus.io/port"] == str(port)
    service = find(base, "Service")
    assert [p["targetPort"] for p in service["spec"]["ports"]] == ["http"]


def test_the_web_app_keeps_two_replicas_through_disruptions(base: list[Document]) -> None:
    assert "replicas" not in find(base, "Deployment", "ssi-leaderboard-web")["spec"]
    assert find(base, "HorizontalPodAutoscaler")["spec"]["minReplicas"] == 2
    assert find(base, "PodDisruptionBudget")["spec"]["minAvailable"] == 1
    strategy = find(base, "Deployment", "ssi-leaderboard-web")["spec"]["strategy"]
    assert strategy["rollingUpdate"]["maxUnavailable"] == 0


def test_egress_is_dns_postgresql_and_https_only(base: list[Document]) -> None:
    policy = find(base, "NetworkPolicy", "ssi-leaderboard")
    ports = {p["port"] for rule in policy["spec"]["egress"] for p in rule["ports"]}
    assert ports == {53, 5432, 443}
    https = next(r for r in policy["spec"]["egress"] if r["ports"][0]["port"] == 443)
    ipv4 = https["to"][0]["ipBlock"]
    assert ipv4["cidr"] == "0.0.0.0/0" and "169.254.0.0/16" in ipv4["except"]  # no metadata
    (metrics,) = policy["spec"]["ingress"]
    assert metrics["ports"] == [{"port": "metrics", "protocol": "TCP"}]
    assert metrics["from"][0]["namespaceSelector"]["matchLabels"] == {
        "ssi-leaderboard/scrape": "true"
    }


def test_socket_mode_exposes_nothing_and_keeps_two_connections() -> None:
    documents = rendered(KUSTOMIZE / "overlays" / "socket-mode")
    kinds = {d["kind"] for d in documents}
    assert not kinds & {"Service", "Ingress", "HorizontalPodAutoscaler"}
    assert find(documents, "Deployment", "ssi-leaderboard-web")["spec"]["replicas"] == 2
    assert [d["metadata"]["name"] for d in documents if d["kind"] == "NetworkPolicy"] == [
        "ssi-leaderboard"
    ]


def test_the_ingress_routes_slack_to_the_service_alone() -> None:
    documents = rendered(KUSTOMIZE / "overlays" / "ingress")
    (rule,) = find(documents, "Ingress")["spec"]["rules"]
    (path,) = rule["http"]["paths"]
    assert re.fullmatch(r"/slack/?", path["path"])
    backend = path["backend"]["service"]
    service = find(documents, "Service", backend["name"])
    assert backend["port"]["name"] in {p["name"] for p in service["spec"]["ports"]}
