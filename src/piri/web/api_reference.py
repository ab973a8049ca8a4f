"""The API reference, made from the app's own OpenAPI document.

Served as a plain page at /api/v1/docs (FastAPI's own docs page loads its scripts from a CDN,
which Piri never does) and written to docs/api.md by ``python -m piri.web.api_reference``.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

METHODS = ("get", "post", "put", "patch", "delete")


@dataclass(frozen=True)
class Parameter:
    name: str
    where: str
    required: bool
    kind: str
    description: str


@dataclass(frozen=True)
class Endpoint:
    method: str
    path: str
    tag: str
    summary: str
    description: str
    parameters: list[Parameter]
    body: str | None
    responses: list[tuple[str, str]]


def endpoints(document: dict[str, Any]) -> list[Endpoint]:
    """Every operation of the document, grouped by tag, in path order within a tag."""
    found = []
    for path, item in document.get("paths", {}).items():
        for method in METHODS:
            operation = item.get(method)
            if operation is None:
                continue
            found.append(
                Endpoint(
                    method=method.upper(),
                    path=path,
                    tag=(operation.get("tags") or ["other"])[0],
                    summary=operation.get("summary", ""),
                    description=operation.get("description", "").strip(),
                    parameters=[_parameter(p) for p in operation.get("parameters", [])],
                    body=_body(operation.get("requestBody")),
                    responses=[
                        (status, response.get("description", ""))
                        for status, response in operation.get("responses", {}).items()
                    ],
                )
            )
    return sorted(found, key=lambda e: (e.tag, e.path, METHODS.index(e.method.lower())))


def _parameter(raw: dict[str, Any]) -> Parameter:
    schema = raw.get("schema", {})
    return Parameter(
        name=raw["name"],
        where=raw.get("in", ""),
        required=bool(raw.get("required")),
        kind=_type_of(schema),
        description=raw.get("description", ""),
    )


def _type_of(schema: dict[str, Any]) -> str:
    if "$ref" in schema:
        return str(schema["$ref"]).rsplit("/", 1)[-1]
    if "anyOf" in schema:
        return " or ".join(_type_of(s) for s in schema["anyOf"])
    if schema.get("type") == "array":
        return f"list of {_type_of(schema.get('items', {}))}"
    return str(schema.get("type", "any"))


def _body(raw: dict[str, Any] | None) -> str | None:
    if not raw:
        return None
    kinds = []
    for media, content in raw.get("content", {}).items():
        kinds.append(f"{media} ({_type_of(content.get('schema', {}))})")
    return ", ".join(kinds) or None


def markdown(document: dict[str, Any]) -> str:
    info = document.get("info", {})
    lines = [
        "# Piri API reference",
        "",
        f"Version {info.get('version', '')}. Generated from `/api/v1/openapi.json` by "
        "`python -m piri.web.api_reference docs/api.md`; do not edit by hand.",
        "",
        info.get("description", ""),
        "",
        'Errors are JSON: `{"code": "...", "message": "..."}` with a stable `code` '
        "(`not_found`, `invalid_input` with `problems` naming each field, `not_signed_in`, "
        "`csrf_failed`, ...).",
    ]
    tag = None
    for endpoint in endpoints(document):
        if endpoint.tag != tag:
            tag = endpoint.tag
            lines += ["", f"## {tag}"]
        lines += ["", f"### `{endpoint.method} {endpoint.path}`", ""]
        if endpoint.summary:
            lines.append(endpoint.summary + ("" if endpoint.summary.endswith(".") else "."))
        if endpoint.description and endpoint.description != endpoint.summary:
            lines += ["", endpoint.description]
        if endpoint.parameters:
            lines += ["", "| parameter | in | type | required |", "|---|---|---|---|"]
            lines += [
                f"| `{p.name}` | {p.where} | {p.kind} | {'yes' if p.required else 'no'} |"
                for p in endpoint.parameters
            ]
        if endpoint.body:
            lines += ["", f"Body: {endpoint.body}"]
        if endpoint.responses:
            answers = ", ".join(
                f"{status} {text.rstrip('.')}".strip() for status, text in endpoint.responses
            )
            lines += ["", f"Responses: {answers}."]
    return "\n".join(lines).rstrip() + "\n"


def main(argv: list[str]) -> int:
    from piri.web.app import create_app

    text = markdown(create_app().openapi())
    if argv:
        Path(argv[0]).write_text(text, encoding="utf-8")
    else:
        sys.stdout.write(text)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
