"""Block lists (`- item` lines) become loops over a list variable of any length."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from repetend.cli import main

SERVICES = {
    "billing": ["payments", "invoices"],
    "search": ["index"],
    "mailer": ["smtp", "queue", "templates"],
    "gateway": ["edge", "auth", "payments", "rate-limit"],
    "reports": ["pdf", "invoices"],
}


def service(slug: str, tags: list[str]) -> str:
    """A service descriptor: the tag list differs in length and items between members."""
    items = "".join(f"  - {tag}\n" for tag in tags)
    return f"name: {slug}\nowner: team-{slug}\ntags:\n{items}replicas: 2\n"


def run_json(capsys: pytest.CaptureFixture[str], *args: str) -> object:
    capsys.readouterr()
    assert main([*args, "--json"]) == 0
    return json.loads(capsys.readouterr().out)


@pytest.fixture
def services(repo: Path) -> Path:
    (repo / "services").mkdir()
    for slug, tags in SERVICES.items():
        (repo / "services" / f"{slug}.yml").write_text(service(slug, tags))
    return repo


def test_a_block_list_is_one_list_variable_and_renders_any_length(
    services: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    report = run_json(capsys, "mine", ".")
    assert isinstance(report, dict)
    (family,) = report["families"]
    shown = run_json(capsys, "templates", "show", family["id"])
    assert isinstance(shown, dict)
    assert "{% for item in tags %}" in shown["files"][0]["template"]
    template = shown["files"][0]["template"]
    items = {tag.replace("-", "_") for tags in SERVICES.values() for tag in tags}
    assert not [item for item in items if f"has_{item}" in template]  # no section per item
    tags = next(v for v in shown["variables"] if v["name"] == "tags")
    assert tags["type"] == "list"
    arguments = ["apply", family["id"], "--set", "slug=ledger", "--set", "tags=a,b,c,d,e,f"]
    assert main(arguments) == 0
    written = (services / "services" / "ledger.yml").read_text()
    assert written == service("ledger", ["a", "b", "c", "d", "e", "f"])
