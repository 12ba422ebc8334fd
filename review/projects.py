"""Projects, not only documents: the copies and re-submissions of one task sheet, with a history.

A sheet is made out in three copies, one per party (`COPIES`); a copy returned to its unit
for a missing seal comes back as a new document (its content changed). Documents are one
project when their project name and commissioning and undertaking units are the same name
as read (`checks.names.same_name`: one misread character or a longer name containing the
shorter does not split a project), the reviewed values taking precedence.

Within a project, documents in the order they were processed fill copy slots: a document
takes a new slot while the project has fewer than `COPIES`; after that it is a
re-submission and replaces, in this order of preference, the copy marked returned to the
unit, the first copy not done, else the oldest copy. A copy is done when its latest
submission is `complete` (after review) or a person accepted it; the project is complete
when it has all its copies and each is done.

>>> group_projects([])
[]
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from tasksheet.checks.names import same_name
from tasksheet.registry.reviews import ReviewState
from tasksheet.schemas.result import SheetResult

COPIES = 3  # one copy of the sheet for each party
KEY_FIELDS = ("cover.project_name", "cover.commissioning_unit", "cover.undertaking_unit")


@dataclass
class Submission:
    """One document of a project: its reviewed result, review and when it was processed."""

    result: SheetResult
    state: ReviewState | None
    processed_at: datetime | None
    slot: int = 0
    superseded: bool = False

    @property
    def done(self) -> bool:
        accepted = self.state is not None and self.state.disposition == "accepted"
        return self.result.status == "complete" or accepted

    @property
    def returned(self) -> bool:
        return self.state is not None and self.state.disposition == "returned"


@dataclass
class Project:
    """The documents of one project, by copy slot, each slot's submissions oldest first."""

    id: str  # the id of its first document: stable while that document is kept
    name: str
    commissioning_unit: str
    undertaking_unit: str
    slots: list[list[Submission]] = field(default_factory=list)

    @property
    def history(self) -> list[Submission]:
        return sorted((s for slot in self.slots for s in slot), key=_when)

    @property
    def latest(self) -> list[Submission]:
        return [slot[-1] for slot in self.slots]

    @property
    def complete(self) -> bool:
        return len(self.slots) >= COPIES and all(s.done for s in self.latest)

    @property
    def status(self) -> str:
        return "complete" if self.complete else "incomplete"


def _when(s: Submission) -> tuple[str, str]:
    return (s.processed_at.isoformat() if s.processed_at else "", s.result.id)


def key_of(result: SheetResult) -> tuple[str, str, str] | None:
    """The project's name and units as read (None when one is not read)."""
    values = [result.value(f) for f in KEY_FIELDS]
    if not all(isinstance(v, str) and v.strip() and v.strip() != "—" for v in values):
        return None
    return values[0], values[1], values[2]  # type: ignore[return-value]


def same_project(a: tuple[str, str, str], b: tuple[str, str, str]) -> bool:
    return all(same_name(x, y) for x, y in zip(a, b, strict=True))


def group_projects(items: list[Submission]) -> list[Project]:
    """The projects of these submissions (failed documents and unnamed ones stay out)."""
    groups: list[tuple[tuple[str, str, str], list[Submission]]] = []
    for sub in sorted(items, key=_when):
        key = key_of(sub.result)
        if key is None or sub.result.status == "failed":
            continue
        home = next((g for g in groups if same_project(g[0], key)), None)
        if home is None:
            groups.append((key, [sub]))
        else:
            home[1].append(sub)
    projects = []
    for _key, subs in groups:
        latest_key = key_of(subs[-1].result) or _key
        project = Project(id=subs[0].result.id, name=latest_key[0],
                          commissioning_unit=latest_key[1], undertaking_unit=latest_key[2])
        for sub in subs:
            _place(project, sub)
        projects.append(project)
    return projects


def _place(project: Project, sub: Submission) -> None:
    if len(project.slots) < COPIES:
        sub.slot = len(project.slots)
        project.slots.append([sub])
        return
    latest = project.latest
    target = next((i for i, s in enumerate(latest) if s.returned), None)
    if target is None:
        target = next((i for i, s in enumerate(latest) if not s.done), None)
    if target is None:
        target = min(range(len(latest)), key=lambda i: _when(latest[i]))
    for old in project.slots[target]:
        old.superseded = True
    sub.slot = target
    project.slots[target].append(sub)
