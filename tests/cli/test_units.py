"""A family that is several files per unit folder is one multi-file template."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from repetend.cli import main
from tests.cli.conftest import git

UNITS = {"hue": "Philips Hue", "nest": "Google Nest", "sonos": "Sonos", "tado": "Tado"}


def write_unit(root: Path, slug: str, title: str) -> None:
    folder = root / "components" / slug
    folder.mkdir(parents=True, exist_ok=True)
    manifest = {"domain": slug, "name": title, "requirements": [f"py{slug}==1.0"]}
    (folder / "manifest.json").write_text(json.dumps(manifest, indent=2) + "\n")
    (folder / "const.py").write_text(f'"""Constants for {title}."""\n\nDOMAIN = "{slug}"\n')
    (folder / "__init__.py").write_text(
        f'"""The {title} integration."""\n\nfrom .const import DOMAIN\n\n\n'
        f"async def async_setup(hass, config):\n    hass.data[DOMAIN] = {{}}\n    return True\n"
    )


def test_unit_folders_become_one_template_that_renders_a_whole_unit(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    for slug, title in UNITS.items():
        write_unit(repo, slug, title)
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "components")
    capsys.readouterr()
    assert main(["mine", ".", "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert [f["path_pattern"] for f in report["families"]] == ["components/{{ component }}/"]
    template_id = report["families"][0]["id"]
    values = ["component=ring", "name=Ring", "requirements=pyring==1.0"]
    assert main(["apply", template_id, *(f"--set={v}" for v in values)]) == 0
    expected = repo / "expected"
    write_unit(expected, "ring", "Ring")
    for name in ("manifest.json", "const.py", "__init__.py"):
        written = (repo / "components" / "ring" / name).read_text()
        assert written == (expected / "components" / "ring" / name).read_text(), name


def test_a_file_in_a_new_unit_folder_is_suggested_the_unit_template(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from repetend.config import load_config
    from repetend.plugins.registry import call_hook, get_plugin_manager
    from repetend.plugins.types import SuggestionContext
    from repetend.store import open_store

    for slug, title in UNITS.items():
        write_unit(repo, slug, title)
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "components")
    assert main(["mine", ".", "--json"]) == 0
    template_id = json.loads(capsys.readouterr().out)["families"][0]["id"]
    assert main(["candidates", "approve", template_id]) == 0
    store = open_store(load_config(repo))
    context = SuggestionContext(
        "file-created", repo, path=repo / "components" / "ring" / "const.py", store=store
    )
    answers = call_hook(get_plugin_manager(), "repetend_suggest", context=context)
    store.close()
    assert answers[0][0].command == f"repetend apply {template_id} --set component=ring"
