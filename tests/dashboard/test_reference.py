"""docs/dashboard-api.md is what the OpenAPI schema says, and the server serves that schema."""

from __future__ import annotations

from pathlib import Path

from repetend.dashboard.app import application
from repetend.dashboard.reference import reference
from tests.dashboard.conftest import Served

PAGE = Path(__file__).resolve().parents[2] / "docs" / "dashboard-api.md"


def test_the_api_reference_matches_the_schema() -> None:
    expected = reference(application().openapi())
    assert PAGE.read_text(encoding="utf-8") == expected, (
        "docs/dashboard-api.md is out of date:"
        " python -m repetend.dashboard.reference > docs/dashboard-api.md"
    )


def test_the_served_schema_is_the_one_documented(served: Served) -> None:
    assert served.json("/api/openapi.json") == application().openapi()


def test_every_endpoint_and_shape_is_in_the_reference() -> None:
    schema = application().openapi()
    text = PAGE.read_text(encoding="utf-8")
    for path, operations in schema["paths"].items():
        for method in operations:
            assert f"### `{method.upper()} {path}`" in text
    for name in schema["components"]["schemas"]:
        assert f"### {name}\n" in text
