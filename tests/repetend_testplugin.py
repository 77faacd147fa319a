"""A small, real repetend plugin the capture tests install through an entry point.

It stands in for the file miner (issue 3) on the hooks capture calls, with
rules simple enough to assert on: a family is three files with one suffix
in one folder; an approved template `T-test` lists strings a matching new
file must contain; a created `components/NAME.py` matches `T-test`, whose
`apply` command (added to the CLI by this plugin) writes a component class.
Every call it gets is appended to `.repetend/testplugin.log`.
"""

from __future__ import annotations

import fnmatch
import json
import time
from pathlib import Path

import click
import yaml

from repetend.events import Candidate
from repetend.plugins import hookimpl
from repetend.plugins.types import Suggestion

APPROVED = ".repetend/patterns/approved/T-test.yaml"


def _log(root: Path, entry: dict[str, object]) -> None:
    with (root / ".repetend" / "testplugin.log").open("a", encoding="utf-8") as handle:
        handle.write(json.dumps(entry) + "\n")


def _indexed(root: Path) -> list[str]:
    log = root / ".repetend" / "testplugin.log"
    if not log.exists():
        return []
    entries = [json.loads(line) for line in log.read_text().splitlines()]
    return sorted({p for e in entries if e["hook"] == "files_changed" for p in e["paths"]})


@hookimpl
def repetend_files_changed(paths, root, store, config):  # type: ignore[no-untyped-def]
    relative = [p.relative_to(root).as_posix() for p in paths]
    _log(root, {"hook": "files_changed", "paths": relative})
    known = _indexed(root)
    found = []
    for path in relative:
        folder, suffix = path.rpartition("/")[0], Path(path).suffix
        family = [k for k in known if k.rpartition("/")[0] == folder and Path(k).suffix == suffix]
        if len(family) >= 3:
            name = f"{folder or '.'}/*{suffix}"
            found.append(
                Candidate(
                    kind="file-template",
                    signature=name,
                    name=name,
                    confidence=0.5,
                    evidence=family,
                    occurrences=len(family),
                    spec={"body_digest": str(len(family))},
                )
            )
    return found


@hookimpl
def repetend_check_staged_file(path, text, root, store, config):  # type: ignore[no-untyped-def]
    _log(root, {"hook": "check_staged_file", "path": path, "text": text})
    spec_file = root / APPROVED
    if not spec_file.exists():
        return None
    spec = yaml.safe_load(spec_file.read_text())
    if not fnmatch.fnmatch(path, spec["match"]):
        return None
    return [f"T-test: missing `{need}`" for need in spec["requires"] if need not in text]


@hookimpl
def repetend_suggest(context):  # type: ignore[no-untyped-def]
    relative = context.path.relative_to(context.root).as_posix()
    if not fnmatch.fnmatch(relative, "components/*.py"):
        return None
    stem = Path(relative).stem
    return [
        Suggestion(
            pattern_id="T-test",
            message=f"{relative} matches template T-test (component module)",
            command=f"repetend test-apply T-test --set name={stem}",
            evidence=("components/alpha.py", "components/beta.py"),
            score=0.9,
            values=(("name", stem),),
        )
    ]


@hookimpl
def repetend_register_commands(cli):  # type: ignore[no-untyped-def]
    @cli.command("test-apply")
    @click.argument("template")
    @click.option("--set", "values", multiple=True)
    @click.option("--force", is_flag=True)
    @click.option("--dry-run", is_flag=True)
    def apply(template, values, force, dry_run):  # type: ignore[no-untyped-def]
        name = dict(v.split("=", 1) for v in values)["name"]
        if name == "broken":
            raise click.ClickException("T-test cannot render `broken`")
        if name == "slow":  # long enough to be interrupted
            time.sleep(60)
        target = Path("components") / f"{name}.py"
        body = f"class {name.title()}Component:\n    pass\n"
        if dry_run:
            click.echo(f"would write {target}:\n{body}")
            return
        if target.exists() and not force:
            raise click.ClickException(f"{target} exists (use --force)")
        target.write_text(body)
        click.echo(f"wrote {target}")
