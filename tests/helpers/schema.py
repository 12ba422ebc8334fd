"""The record's fields as a map of value path → kind, from its JSON Schema and from the
template: the two must agree."""

from __future__ import annotations

from typing import Any

from tasksheet.schemas.template import Template

NOT_FIELDS = ("document", "members", "findings")  # the record's own structure, not the form's


def schema_fields(schema: dict[str, Any]) -> dict[str, str]:
    """Every value path of a record JSON Schema → its kind: `ticks` (a checkbox group),
    `boolean` or `string` (string or null); a group's attached values as `<group>.<attach>`."""
    defs = schema["$defs"]

    def resolve(node: dict[str, Any]) -> dict[str, Any]:
        return defs[node["$ref"].rsplit("/", 1)[1]] if "$ref" in node else node

    def kind(node: dict[str, Any]) -> str:
        if node.get("type") == "boolean" and node.get("default") is False:
            return "boolean"
        assert node["anyOf"] == [{"type": "string"}, {"type": "null"}]
        assert node["default"] is None
        return "string"

    out: dict[str, str] = {}

    def walk(path: str, node: dict[str, Any]) -> None:
        node = resolve(node)
        props = node.get("properties")
        if props is None:
            out[path] = kind(node)
        elif "ticked" in props:
            assert props["ticked"] == {"items": {"type": "string"}, "title": "Ticked",
                                       "type": "array"}
            out[path] = "ticks"
            out.update((f"{path}.{k}", kind(v)) for k, v in props.items() if k != "ticked")
        else:
            assert node["additionalProperties"] is False, path
            for key, value in props.items():
                walk(f"{path}.{key}" if path else key, value)

    for key, value in schema["properties"].items():
        if key not in NOT_FIELDS:
            walk(key, value)
    return out


def template_fields(t: Template) -> dict[str, str]:
    """The same map, from the template: what its record must hold."""
    out: dict[str, str] = {}
    for f in t.fields():
        if f.type == "checkbox_group":
            out[f.id] = "ticks"
            out.update((f"{f.id}.{o.attach}", "string") for o in f.options if o.attach)
        else:
            out[f.id] = "boolean" if f.type in ("signature", "seal") else "string"
    return out
