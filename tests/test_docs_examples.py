"""Examples in docs/ that are output of the program, checked against a real run of it."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

from tests.conftest import REPO_ROOT

ID = re.compile(r"AUTO-\d{8}-[0-9a-f]+")
GIT = ["git", "-c", "user.email=t@example.com", "-c", "user.name=t"]


def repetend(root: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "repetend", *args], cwd=root, capture_output=True, text=True
    )


def blocks(page: str, language: str, after: str) -> list[str]:
    """The `language` blocks of `page` that come after the text `after`."""
    text = (REPO_ROOT / page).read_text(encoding="utf-8").split(after, 1)[1]
    return re.findall(rf"^```{language}\n(.*?)^```", text, re.M | re.S)


def said(output: str) -> list[str]:
    """repetend's own lines, with pattern ids made alike."""
    return [ID.sub("AUTO-ID", line) for line in output.splitlines() if line.startswith("repetend")]


def test_hooks_md_shows_the_warnings_the_pre_commit_hook_prints(tmp_path: Path) -> None:
    root = tmp_path / "project"
    (root / "services").mkdir(parents=True)
    subprocess.run(["git", "init", "-q", "-b", "main", str(root)], check=True)
    for n, name in enumerate(("api", "auth", "billing", "cache")):
        (root / "services" / f"{name}.toml").write_text(
            f'name = "{name}"\nport = 80{n}{n}\n\n[deploy]\nreplicas = 2\nregion = "eu-{name}"\n'
        )
    subprocess.run([*GIT, "add", "-A"], cwd=root, check=True)
    subprocess.run([*GIT, "commit", "-q", "-m", "services"], cwd=root, check=True)
    assert repetend(root, "mine", ".").returncode == 0
    (template,) = re.findall(r"^(AUTO-\S+)", repetend(root, "templates", "list").stdout, re.M)
    assert repetend(root, "candidates", "approve", template).returncode == 0
    assert repetend(root, "hooks", "install").returncode == 0
    (root / "services" / "web.toml").write_text(
        'port = 8099\n\n[deploy]\nreplicas = 2\nregion = "eu-web"\n'
    )
    subprocess.run(["git", "add", "services/web.toml"], cwd=root, check=True)
    warned, strict = blocks("docs/hooks.md", "console", "### Before a commit")[:2]
    done = subprocess.run(
        [*GIT, "commit", "-m", "Add the web service"], cwd=root, capture_output=True, text=True
    )
    assert done.returncode == 0
    assert said(done.stderr) == said(warned)
    subprocess.run(["git", "reset", "-q", "--soft", "HEAD~1"], cwd=root, check=True)
    (root / ".repetend" / "config.yaml").write_text("strict: true\n")
    stopped = subprocess.run(
        [*GIT, "commit", "-m", "Add the web service"], cwd=root, capture_output=True, text=True
    )
    assert stopped.returncode != 0
    assert said(stopped.stderr) == said(strict)


def test_templates_md_shows_the_template_mine_learns_for_the_properties_files(
    tmp_path: Path,
) -> None:
    root = tmp_path / "starter-workflows"
    shutil.copytree(REPO_ROOT / "tests" / "data" / "starter-workflows", root)
    subprocess.run(["git", "init", "-q", "-b", "main", str(root)], check=True)
    subprocess.run([*GIT, "add", "-A"], cwd=root, check=True)
    subprocess.run([*GIT, "commit", "-q", "-m", "corpus"], cwd=root, check=True)
    assert repetend(root, "mine", ".").returncode == 0
    (written,) = (root / ".repetend" / "patterns").glob("*/*/*/properties/*.properties.json.jinja")
    (shown,) = blocks("docs/templates.md", "jinja", "In starter-workflows, the")[:1]
    assert shown == written.read_text(encoding="utf-8") + "\n"
    assert '"iconName": "{{ iconName }}"' in shown  # a variable of its own, not the slug
