"""The documentation names every setting with its real default."""

from __future__ import annotations

import re

from repetend.config import SETTINGS
from tests.conftest import REPO_ROOT


def test_configuration_reference_lists_every_setting_with_its_default() -> None:
    page = (REPO_ROOT / "docs" / "configuration.md").read_text(encoding="utf-8")
    rows = dict(re.findall(r"^\| `(\w+)` \| [^|]+ \| `([^`]*)` \|", page, re.M))
    assert set(rows) == {s.name for s in SETTINGS}
    for setting in SETTINGS:
        shown = {"": '""', "[]": "[]"}.get(str(setting.default), str(setting.default))
        assert rows[setting.name] in (shown, str(setting.default)), setting.name
        assert f"`{setting.env_var}`" in page
