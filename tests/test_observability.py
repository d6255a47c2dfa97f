"""The alert rules and the Grafana dashboard in ``deploy/observability/``: every expression
parses as PromQL (promtool isn't on these machines; promql-parser is Prometheus' grammar)
and names only metrics the app exports, and the alerts cover what an operator must know."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import promql_parser
import pytest
import yaml
from prometheus_client import REGISTRY

import slackapp.metrics.instruments  # noqa: F401  (registers every metric)

FOLDER = Path(__file__).resolve().parent.parent / "deploy" / "observability"
SUFFIXES = {
    "counter": ("_total",),
    "gauge": ("",),
    "histogram": ("_bucket", "_count", "_sum"),
}
# Beside our own, what Prometheus itself gives every scrape.
PROMETHEUS_OWN = {"up"}


def _exported() -> set[str]:
    names = set()
    for family in REGISTRY.collect():
        if family.name.startswith("ssi_"):
            names |= {family.name + suffix for suffix in SUFFIXES[family.type]}
    return names


def _metrics_in(expr: str) -> set[str]:
    return set(re.findall(r"\b(ssi_[a-z_]+)\b", expr))


def _rules() -> list[dict[str, Any]]:
    document = yaml.safe_load((FOLDER / "alerts.yml").read_text())
    return [rule for group in document["groups"] for rule in group["rules"]]


def _dashboard_exprs() -> list[str]:
    dashboard = json.loads((FOLDER / "dashboard.json").read_text())
    return [t["expr"] for panel in dashboard["panels"] for t in panel["targets"]]


@pytest.mark.parametrize("rule", _rules(), ids=lambda rule: rule["alert"])
def test_each_alert_parses_and_names_only_exported_metrics(rule: dict[str, Any]) -> None:
    promql_parser.parse(rule["expr"])  # raises on anything Prometheus would refuse
    assert _metrics_in(rule["expr"]) and _metrics_in(rule["expr"]) <= _exported()
    assert rule["labels"]["severity"] in ("critical", "warning")
    assert rule["annotations"]["summary"] and rule["annotations"]["description"]
    if "for" in rule:
        assert re.fullmatch(r"\d+[smh]", rule["for"])


def test_the_alerts_cover_what_an_operator_must_know() -> None:
    watched = {rule["alert"] for rule in _rules()}
    for must in (
        "SsiWeeklyPostsFailing",
        "SsiWeeklyPostsAbandoned",
        "SsiTicksLate",
        "SsiSlackRateLimited",
        "SsiReadinessFlapping",
        "SsiBusyAnswers",
    ):
        assert must in watched


def test_each_dashboard_query_parses_and_names_only_exported_metrics() -> None:
    exprs = _dashboard_exprs()
    assert len(exprs) >= 10
    for expr in exprs:
        promql_parser.parse(expr)
        assert _metrics_in(expr) <= _exported(), expr


def test_the_dashboard_imports_into_any_grafana() -> None:
    """Its data source is a variable (no uid of ours), its panels don't overlap."""
    dashboard = json.loads((FOLDER / "dashboard.json").read_text())
    (variable,) = dashboard["templating"]["list"]
    assert variable == {**variable, "type": "datasource", "query": "prometheus"}
    spots = set()
    for panel in dashboard["panels"]:
        assert panel["datasource"]["uid"] == "${datasource}"
        grid = panel["gridPos"]
        cells = {
            (grid["x"] + dx, grid["y"] + dy) for dx in range(grid["w"]) for dy in range(grid["h"])
        }
        assert not spots & cells, panel["title"]
        spots |= cells
    assert len({p["id"] for p in dashboard["panels"]}) == len(dashboard["panels"])


def test_every_metric_the_app_exports_is_on_the_dashboard() -> None:
    """A metric nobody can see isn't worth its cost."""
    shown = {name for expr in _dashboard_exprs() for name in _metrics_in(expr)}
    families = {
        f.name + ("_total" if f.type == "counter" else "")
        for f in REGISTRY.collect()
        if f.name.startswith("ssi_")
    }
    for family in families:
        stem = family.removesuffix("_total")
        assert any(name.startswith(stem) for name in shown), family
