"""The API reference in Markdown, made from the OpenAPI schema (docs/dashboard-api.md).

`python -m repetend.dashboard.reference > docs/dashboard-api.md` writes it again;
a test compares the file with what this makes, so the page cannot drift from the API.
"""

from __future__ import annotations

from typing import Any

HEADER = """# Dashboard API reference

Generated from the OpenAPI schema (`GET /api/openapi.json` on a running dashboard) by
`python -m repetend.dashboard.reference > docs/dashboard-api.md`; a test checks that this
page matches the schema. How to call it (session cookie, CSRF token, access token):
[dashboard.md](dashboard.md#the-api).
"""


def reference(schema: dict[str, Any]) -> str:
    """The Markdown page for `schema`: each endpoint, then each data shape."""
    lines = [HEADER, "## Endpoints", ""]
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            lines += endpoint(method.upper(), path, operation)
    lines += ["## Data shapes", ""]
    for name, shape in schema.get("components", {}).get("schemas", {}).items():
        lines += component(name, shape)
    return "\n".join(lines).rstrip() + "\n"


def endpoint(method: str, path: str, operation: dict[str, Any]) -> list[str]:
    """One endpoint: what it does, its parameters, its body and its answer."""
    lines = [f"### `{method} {path}`", "", operation.get("summary", "")]
    description = operation.get("description", "")
    if description:
        lines += ["", description]
    parameters = operation.get("parameters", [])
    if parameters:
        lines += ["", "| parameter | in | type | default | description |", "|---|---|---|---|---|"]
        lines += [_parameter(p) for p in parameters]
    body = operation.get("requestBody", {}).get("content", {}).get("application/json")
    if body:
        lines += ["", f"Body: {type_of(body['schema'])}"]
    answer = operation.get("responses", {}).get("200", {}).get("content", {})
    for media, content in answer.items():
        shown = type_of(content["schema"]) if content.get("schema") else "a stream"
        lines += ["", f"Answers `{media}`: {shown}"]
    return [*lines, ""]


def _parameter(parameter: dict[str, Any]) -> str:
    schema = parameter.get("schema", {})
    default = schema.get("default")
    shown = "" if default is None else f"`{default}`"
    text = parameter.get("description", "") or schema.get("description", "")
    bounds = _bounds(schema)
    return (
        f"| `{parameter['name']}` | {parameter['in']} | {type_of(schema)}{bounds} | {shown}"
        f" | {text} |"
    )


def _bounds(schema: dict[str, Any]) -> str:
    parts = []
    for key, sign in (("minimum", "≥"), ("maximum", "≤"), ("exclusiveMinimum", ">")):
        if key in schema:
            parts.append(f"{sign} {schema[key]}")
    return f" ({', '.join(parts)})" if parts else ""


def component(name: str, shape: dict[str, Any]) -> list[str]:
    """One data shape: its description and fields."""
    lines = [f"### {name}", "", shape.get("description", "")]
    required = set(shape.get("required", []))
    properties = shape.get("properties", {})
    if properties:
        lines += ["", "| field | type | required | description |", "|---|---|---|---|"]
        for field, spec in properties.items():
            needed = "yes" if field in required else "no"
            text = spec.get("description", "")
            lines.append(f"| `{field}` | {type_of(spec)} | {needed} | {text} |")
    return [*lines, ""]


def type_of(schema: dict[str, Any]) -> str:
    """A schema's type in a few words (`Page[Pattern]`, `string or null`, `list of …`)."""
    if "$ref" in schema:
        return f"[{_name(schema['$ref'])}](#{_anchor(_name(schema['$ref']))})"
    if "anyOf" in schema:
        return " or ".join(type_of(option) for option in schema["anyOf"])
    if "enum" in schema:
        return " \\| ".join(f"`{value}`" for value in schema["enum"])
    kind = schema.get("type", "any")
    if kind == "array":
        return f"list of {type_of(schema.get('items', {}))}"
    if kind == "object" and isinstance(schema.get("additionalProperties"), dict):
        return f"map of {type_of(schema['additionalProperties'])}"
    fmt = schema.get("format")
    return f"{kind} ({fmt})" if fmt else str(kind)


def _name(ref: str) -> str:
    return ref.rpartition("/")[2]


def _anchor(name: str) -> str:
    return "".join(c for c in name.lower() if c.isalnum() or c in "-_")


def main() -> None:
    """Print the reference for the current API."""
    from repetend.dashboard.app import application

    print(reference(application().openapi()), end="")


if __name__ == "__main__":
    main()
