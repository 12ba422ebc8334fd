"""The exported record's model, derived from the form template.

The template is the form as data; the record (RECORD.md) is its fields placed at their dotted
ids. `record_model(template)` builds the pydantic model of that record, so a field added to
the template is exported, validated and described by `tasksheet schema` without a Python
change. Only what does not come from the form is written here: the document's identity
(`DocumentInfo`) and the findings (`Finding`).

How template fields become record fields:

- a dotted id is a path: `undertaking.legal_representative.name` is the key `name` of the
  object `legal_representative` of the section `undertaking`;
- a checkbox group is `{"ticked": [...]}` plus one key per option `attach` (`amount_wan`,
  `other_text`);
- a signature or a seal is a boolean (default false); every other field a string or null;
- `members` is a list of rows: `party` plus one key per column of the members table;
- sections come in the order of the form's pages, `document` first and `findings` last.

Every object forbids unknown keys. Objects of the same shape share one model, named as the
record's JSON Schema has always named them (`Contact`, `Opinion`, `Ticks`…); a new object is
named after its path.

>>> from tasksheet.schemas.template import load_template
>>> record_model(load_template()).__name__
'Record'
"""

from __future__ import annotations

import importlib
import re
from types import SimpleNamespace
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, create_model
from tasksheet.schemas.errors import TemplateError
from tasksheet.schemas.template import FieldSpec, Template

Status = Literal["complete", "incomplete", "failed"]
Severity = Literal["error", "warning", "info"]
BBox = tuple[int, int, int, int]

BOOL_TYPES = ("signature", "seal")  # field types exported as true / false
RECORD_DOC = "One processed task sheet, as exported (RECORD.md)."
# Names of the record's shared objects, by path (`*` is one segment); other objects are named
# after their section (`Cover`) or their path (`UndertakingFinance`).
OBJECT_NAMES = {
    "*.legal_representative": "Contact",
    "*.project_lead": "Contact",
    "opinions.*": "Opinion",
}


class Model(BaseModel):
    model_config = ConfigDict(extra="forbid")


class DocumentInfo(Model):
    id: str
    sources: list[str]
    sha256: str
    pages: int
    status: Status
    template: str


class Finding(Model):
    code: str
    severity: Severity
    section: str
    field: str | None
    message: str
    page: int | None = None
    bbox: BBox | None = None


class RecordBase(Model):
    """What every derived record model has besides its template's fields."""

    def export(self) -> dict:
        """The JSON-ready dict of RECORD.md (every key present, `null` where empty)."""
        return self.model_dump(mode="json")


_MODELS: dict[tuple[str, str], type[RecordBase]] = {}
_BOOLS: dict[tuple[str, str], frozenset[str]] = {}
# A template's models live in a namespace of this module (`<prefix><id>_<version>`), so that
# pickle finds them by module and qualified name, as it finds a class written in a module.
_NAMESPACE_PREFIX = "models_of_"


def record_model(template: Template) -> type[RecordBase]:
    """The record model of `template`, built once per template id and version (a changed
    form is a new version)."""
    key = (template.id, template.version)
    model = _MODELS.get(key)
    if model is None:
        model = _MODELS[key] = _Builder(template).record()
    return model


def bool_fields(template: Template) -> frozenset[str]:
    """Field ids exported as booleans (members' columns as `members.<key>`): an unread one
    keeps the model's default, false."""
    key = (template.id, template.version)
    found = _BOOLS.get(key)
    if found is None:
        found = frozenset(
            [f.id for f in template.fields() if f.type in BOOL_TYPES]
            + [f"members.{c.key}" for c in template.members.columns if c.type in BOOL_TYPES])
        _BOOLS[key] = found
    return found


def __getattr__(name: str) -> Any:
    # Unpickling in a fresh process: the bundled template's models are built on import of
    # `schemas.record`; any other template's must have been built in this process first.
    if name.startswith(_NAMESPACE_PREFIX):
        importlib.import_module("tasksheet.schemas.record")
        if name in globals():
            return globals()[name]
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def _camel(text: str) -> str:
    return "".join(p[:1].upper() + p[1:] for p in re.split(r"[^0-9A-Za-z]+", text) if p)


def _matches(pattern: str, path: str) -> bool:
    parts, keys = pattern.split("."), path.split(".")
    return len(parts) == len(keys) and all(p in ("*", k) for p, k in zip(parts, keys, strict=True))


class _Builder:
    """Builds one template's models; objects of one shape become one class."""

    def __init__(self, template: Template) -> None:
        self.template = template
        self.by_shape: dict[tuple, type[BaseModel]] = {}
        self.names: set[str] = set()
        self.space = re.sub(r"\W", "_", f"{_NAMESPACE_PREFIX}{template.id}_{template.version}")
        globals()[self.space] = SimpleNamespace()

    def record(self) -> type[RecordBase]:
        t = self.template
        tree: dict[str, Any] = {}
        first_page: dict[str, int] = {}
        for spec in t.fields():
            node, keys = tree, spec.id.split(".")
            for depth, key in enumerate(keys[:-1]):
                node = node.setdefault(key, {})
                if not isinstance(node, dict):
                    raise TemplateError(f"{t.id}: field {'.'.join(keys[:depth + 1])} is "
                                        f"both a value and a group ({spec.id})")
            if keys[-1] in node:
                raise TemplateError(f"{t.id}: field {spec.id} is both a value and a group")
            node[keys[-1]] = spec
            first_page.setdefault(keys[0], t.page_index(spec.page))
        for name in ("document", "members", "findings"):
            if name in tree:
                raise TemplateError(f"{t.id}: field ids may not start with {name!r}")
        sections: list[tuple[int, str, Any]] = [
            (first_page[key], key, self._field(key, node)) for key, node in tree.items()]
        sections.append((t.page_index(t.members.page), "members",
                         (list[self._member()], Field(default_factory=list))))
        sections.sort(key=lambda s: s[0])  # stable: form order within a page
        fields: dict[str, Any] = {"document": (DocumentInfo, ...)}
        fields.update((key, spec) for _, key, spec in sections)
        fields["findings"] = (list[Finding], Field(default_factory=list))
        self.names.add("Record")
        return self._register(create_model("Record", __base__=RecordBase, __doc__=RECORD_DOC,
                                           __module__=__name__, **fields))

    def _register(self, model: type[BaseModel]) -> Any:
        """Put `model` in this template's namespace (its JSON Schema name stays its own)."""
        model.__qualname__ = f"{self.space}.{model.__name__}"
        setattr(globals()[self.space], model.__name__, model)
        return model

    # -- pieces ----------------------------------------------------------------------------

    def _field(self, path: str, node: FieldSpec | dict[str, Any]) -> tuple[Any, Any]:
        """(annotation, default) of the record key at `path`."""
        if isinstance(node, dict):
            model = self._object(path, {k: self._field(f"{path}.{k}", v)
                                        for k, v in node.items()})
            return model, Field(default_factory=model)
        if node.type == "checkbox_group":
            model = self._ticks([o.attach for o in node.options if o.attach])
            return model, Field(default_factory=model)
        if node.type in BOOL_TYPES:
            return bool, False
        return str | None, None

    def _ticks(self, attach: list[str]) -> type[BaseModel]:
        fields: dict[str, Any] = {"ticked": (list[str], Field(default_factory=list))}
        fields.update((a, (str | None, None)) for a in dict.fromkeys(attach))
        name = "Ticks" + "".join(_camel(a.split("_")[0]) for a in dict.fromkeys(attach))
        return self._model(name, fields)

    def _member(self) -> type[BaseModel]:
        m = self.template.members
        parties = tuple(dict.fromkeys(g.party for g in m.groups))
        fields: dict[str, Any] = {"party": (Literal[parties], ...)}
        for col in m.columns:
            if col.key in fields:
                raise TemplateError(f"{self.template.id}: members column {col.key!r} twice "
                                    "or named party")
            fields[col.key] = (bool, False) if col.type in BOOL_TYPES else (str | None, None)
        return self._model("Member", fields)

    def _object(self, path: str, fields: dict[str, Any]) -> type[BaseModel]:
        if "." not in path:
            name = _camel(path)
        else:
            name = next((n for p, n in OBJECT_NAMES.items() if _matches(p, path)), _camel(path))
        return self._model(name, fields, fallback=_camel(path))

    def _model(self, name: str, fields: dict[str, Any],
               fallback: str | None = None) -> type[BaseModel]:
        shape = tuple((k, _shape_of(v)) for k, v in fields.items())
        model = self.by_shape.get(shape)
        if model is not None:
            return model
        if name in self.names:  # the name is another shape's: fall back to the path's
            name = fallback if fallback and fallback not in self.names else name
        base, n = name, 1
        while name in self.names:
            n += 1
            name = f"{base}{n}"
        self.names.add(name)
        model = self._register(create_model(name, __base__=Model, __module__=__name__,
                                            **fields))
        self.by_shape[shape] = model
        return model


def _shape_of(spec: tuple[Any, Any]) -> tuple[Any, str]:
    annotation, default = spec
    return annotation, "factory" if hasattr(default, "default_factory") else repr(default)
