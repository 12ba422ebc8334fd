"""A person's review of a document: decisions, their audit trail, and the reviewed record.

The machine's result (`documents.result`, its `readings` rows) is never changed by a review.
A decision is stored twice, in one transaction: appended to `decisions` (the audit trail:
reviewer, time, kind, target, old and new value, reason) and folded into the document's
`reviews` row (its state: reviewed values, dismissed and confirmed findings, disposition).
After every decision the template's rules run again on the reviewed values (`recheck`):
the row keeps the status and findings that follow, so queries and exports need no re-run.

A reviewed value takes precedence over the machine's, with confidence 1 (a person read it);
a dismissed finding (by `finding_key`: code and field) stays dismissed when the rules raise
it again. Every save names the review version it was made on: a save on an older version
is refused (`StaleReview`), so the second of two reviewers never overwrites the first.

>>> from tasksheet.schemas.result import SheetResult, Reading
>>> r = SheetResult(id="d", sources=[], sha256="", template="t",
...                 readings={"cover.month": Reading(raw="b", value="8", confidence=0.3)})
>>> reviewed = apply_values(r, {"cover.month": "5"})
>>> reviewed.readings["cover.month"].value, reviewed.readings["cover.month"].raw
('5', 'b')
>>> r.readings["cover.month"].value  # the machine's reading is left as it was
'8'
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import insert, select, update
from sqlalchemy.exc import IntegrityError
from tasksheet.checks.rules import check_document, document_status
from tasksheet.registry.db import Registry, _Guard
from tasksheet.registry.tables import decisions, documents, reviews
from tasksheet.schemas.errors import TasksheetError
from tasksheet.schemas.record import Finding
from tasksheet.schemas.result import Reading, SheetResult

READING_KINDS = ("reading_confirmed", "reading_corrected")
FINDING_KINDS = ("finding_confirmed", "finding_dismissed")
SHEET_KINDS = ("sheet_returned", "sheet_accepted", "sheet_reopened")
KINDS = READING_KINDS + FINDING_KINDS + SHEET_KINDS
DISPOSITIONS = {"sheet_returned": "returned", "sheet_accepted": "accepted",
                "sheet_reopened": None}
REASON_REQUIRED = frozenset({"finding_dismissed", "sheet_returned"})
MAX_TEXT = 4000  # characters of a value or reason a person may type
MACHINE, REVIEWED = "machine", "reviewed"


class ReviewError(TasksheetError):
    """A decision that cannot be taken (no such field, finding or document; no reason)."""


class StaleReview(ReviewError):
    """The record changed since the reviewer opened it: the save is refused."""


@dataclass
class ReviewState:
    """What a person decided on one document, and what follows from it."""

    document_id: str
    version: int = 0
    values: dict[str, Any] = field(default_factory=dict)  # field id -> reviewed value
    confirmed: list[str] = field(default_factory=list)  # fields confirmed as read
    dismissed: dict[str, str] = field(default_factory=dict)  # finding key -> reason
    confirmed_findings: list[str] = field(default_factory=list)
    disposition: str | None = None  # returned | accepted
    status: str | None = None  # after the re-check (None: never reviewed)
    findings: list[Finding] = field(default_factory=list)
    updated_at: datetime | None = None
    updated_by: str | None = None

    def state_json(self) -> dict[str, Any]:
        return {"values": self.values, "confirmed": self.confirmed, "dismissed": self.dismissed,
                "confirmed_findings": self.confirmed_findings}


@dataclass(frozen=True)
class Decision:
    """One row of the audit trail."""

    id: int
    document_id: str
    version: int
    kind: str
    target: str | None
    old_value: Any
    new_value: Any
    reason: str | None
    reviewer: str
    decided_at: datetime


def finding_key(f: Finding) -> str:
    """A finding's identity across re-checks (its message may quote a value that changed)."""
    return f"{f.code}|{f.field or ''}"


def field_ids(result: SheetResult) -> list[str]:
    """Every field id of the result's readings, member cells as `members.<i>.<key>`."""
    ids = list(result.readings)
    for i, row in enumerate(result.members):
        ids += [f"members.{i}.{k}" for k in row.cells]
    return ids


def machine_reading(result: SheetResult, field_id: str) -> Reading | None:
    """The machine's reading of a field (a member cell by `members.<i>.<key>`), if any."""
    if field_id.startswith("members."):
        parts = field_id.split(".")
        if len(parts) == 3 and parts[1].isdigit() and int(parts[1]) < len(result.members):
            return result.members[int(parts[1])].cells.get(parts[2])
        return None
    return result.readings.get(field_id)


def apply_values(result: SheetResult, values: dict[str, Any]) -> SheetResult:
    """A copy of `result` with the reviewed values in place (confidence 1, raw kept)."""
    out = result.model_copy(deep=True)
    for fid, value in values.items():
        old = machine_reading(out, fid)
        new = (old.model_copy(update={"value": value, "confidence": 1.0}) if old is not None
               else Reading(raw=None, value=value, confidence=1.0))
        if fid.startswith("members."):
            _, i, key = fid.split(".")
            out.members[int(i)].cells[key] = new
        else:
            out.readings[fid] = new
    return out


def recheck(result: SheetResult, state: ReviewState) -> SheetResult:
    """The reviewed result: reviewed values applied, the rules run again, dismissed
    findings left out, the status following."""
    reviewed = apply_values(result, state.values)
    if reviewed.status != "failed":
        check_document(reviewed)
    reviewed.findings = [f for f in reviewed.findings if finding_key(f) not in state.dismissed]
    reviewed.status = document_status(reviewed)
    return reviewed


def reviewed_result(result: SheetResult, state: ReviewState | None) -> SheetResult:
    """What exports and pages show: the machine's result, or with a review `recheck`'s (run
    again rather than read from the review row: a document processed again since, or a
    template changed, is judged as it is now)."""
    if state is None or state.status is None:
        return result
    return recheck(result, state)


def origins(result: SheetResult, state: ReviewState | None) -> dict[str, str]:
    """Each field's origin: `reviewed` when a person confirmed or corrected it."""
    reviewed = set(state.values) if state else set()
    ids = field_ids(result)
    ids += sorted(reviewed - set(ids))
    return {f: REVIEWED if f in reviewed else MACHINE for f in ids}


def _state_of(row: Any) -> ReviewState:
    st = row.state or {}
    return ReviewState(document_id=row.document_id, version=row.version,
                       values=dict(st.get("values") or {}),
                       confirmed=list(st.get("confirmed") or []),
                       dismissed=dict(st.get("dismissed") or {}),
                       confirmed_findings=list(st.get("confirmed_findings") or []),
                       disposition=row.disposition, status=row.status,
                       findings=[Finding.model_validate(f) for f in row.findings or []],
                       updated_at=row.updated_at, updated_by=row.updated_by)


def _clean(text: Any, what: str) -> str | None:
    if text is None:
        return None
    text = str(text).strip()
    if len(text) > MAX_TEXT:
        raise ReviewError(f"{what} is longer than {MAX_TEXT} characters")
    return text or None


class Reviews:
    """The review tables of one registry."""

    def __init__(self, registry: Registry) -> None:
        self.registry = registry
        self.engine = registry.engine

    def _guard(self, what: str) -> _Guard:
        return _Guard(f"registry {self.registry.url}: review {what} failed")

    def state(self, doc_id: str) -> ReviewState:
        """The document's review (version 0, nothing decided, when it has none)."""
        with self._guard("query"), self.engine.connect() as conn:
            row = conn.execute(select(reviews).where(reviews.c.document_id == doc_id)).first()
        return _state_of(row) if row is not None else ReviewState(document_id=doc_id)

    def states(self, ids: Iterable[str] | None = None) -> dict[str, ReviewState]:
        """Every stored review (of these documents), by document id."""
        q = select(reviews)
        if ids is not None:
            q = q.where(reviews.c.document_id.in_(list(ids)))
        with self._guard("query"), self.engine.connect() as conn:
            return {row.document_id: _state_of(row) for row in conn.execute(q)}

    def decisions(self, doc_id: str | None = None) -> list[Decision]:
        """The audit trail (of one document), oldest first."""
        q = select(decisions).order_by(decisions.c.id)
        if doc_id is not None:
            q = q.where(decisions.c.document_id == doc_id)
        with self._guard("query"), self.engine.connect() as conn:
            return [Decision(**row._mapping) for row in conn.execute(q)]

    def decide(self, doc_id: str, *, version: int, reviewer: str, kind: str,
               target: str | None = None, value: Any = None,
               reason: str | None = None) -> ReviewState:
        """Take one decision on the review at `version`; return the new state.

        Raises `StaleReview` when the review is no longer at `version` (another save came
        first), `ReviewError` for a decision that does not apply.
        """
        reviewer = _clean(reviewer, "the reviewer's name") or ""
        reason = _clean(reason, "the reason")
        if not reviewer:
            raise ReviewError("a decision needs the reviewer's name")
        if kind not in KINDS:
            raise ReviewError(f"not a decision: {kind!r}")
        if kind in REASON_REQUIRED and not reason:
            raise ReviewError("this decision needs a reason")
        if isinstance(value, str):
            value = _clean(value, "the value")
        now = datetime.now(UTC)
        with self._guard("save"):
            return self._decide(doc_id, version, reviewer, kind, target, value, reason, now)

    def _decide(self, doc_id: str, version: int, reviewer: str, kind: str, target: str | None,
                value: Any, reason: str | None, now: datetime) -> ReviewState:
        try:
            with self.registry._writing() as conn:
                q = select(documents.c.result).where(documents.c.id == doc_id)
                stored = conn.execute(q).scalar()
                if stored is None:
                    raise ReviewError(f"no document {doc_id!r} in the registry")
                q = select(reviews).where(reviews.c.document_id == doc_id)
                if conn.dialect.name == "postgresql":
                    q = q.with_for_update()
                row = conn.execute(q).first()
                state = _state_of(row) if row is not None else ReviewState(document_id=doc_id)
                if state.version != version:
                    raise StaleReview(
                        f"此记录已于您打开后被 {state.updated_by or '他人'} 修改"
                        f"（版本 {version} → {state.version}）：您的保存未执行，"
                        "请重新打开页面查看最新内容后再决定")
                result = SheetResult.model_validate(stored)
                before = recheck(result, state)
                old, new = self._apply(state, result, before, kind, target, value, reason)
                after = recheck(result, state)
                state.version += 1
                state.status = after.status
                state.findings = after.findings
                state.updated_at, state.updated_by = now, reviewer
                row_values = {"version": state.version, "state": state.state_json(),
                              "disposition": state.disposition, "status": state.status,
                              "findings": [f.model_dump(mode="json") for f in after.findings],
                              "updated_at": now, "updated_by": reviewer}
                if row is None:
                    conn.execute(insert(reviews).values(document_id=doc_id, **row_values))
                else:
                    done = conn.execute(update(reviews).where(
                        reviews.c.document_id == doc_id, reviews.c.version == version
                    ).values(**row_values))
                    if done.rowcount != 1:
                        raise StaleReview("此记录刚被他人修改：您的保存未执行，请重新打开页面")
                conn.execute(insert(decisions).values(
                    document_id=doc_id, version=state.version, kind=kind, target=target,
                    old_value=old, new_value=new, reason=reason, reviewer=reviewer,
                    decided_at=now))
        except IntegrityError as exc:  # two first decisions at once: the review row exists
            raise StaleReview("此记录刚被他人修改：您的保存未执行，请重新打开页面") from exc
        return state

    def _apply(self, state: ReviewState, result: SheetResult, current: SheetResult, kind: str,
               target: str | None, value: Any, reason: str | None) -> tuple[Any, Any]:
        """Fold the decision into `state`; return its (old, new) values for the audit."""
        if kind in READING_KINDS:
            if not target or (machine_reading(result, target) is None
                              and not _template_field(result, target)):
                raise ReviewError(f"no field {target!r} in this document")
            machine = machine_reading(result, target)
            old = state.values.get(target, machine.value if machine is not None else None)
            if kind == "reading_confirmed":
                value = old
                if target not in state.confirmed:
                    state.confirmed.append(target)
            state.values[target] = value
            return old, value
        if kind in FINDING_KINDS:
            current_keys = {finding_key(f) for f in current.findings}
            if not target or (target not in current_keys and target not in state.dismissed):
                raise ReviewError(f"no finding {target!r} on this document")
            if kind == "finding_dismissed":
                state.dismissed[target] = reason or ""
                if target in state.confirmed_findings:
                    state.confirmed_findings.remove(target)
                return "open", "dismissed"
            old_state = "dismissed" if target in state.dismissed else "open"
            state.dismissed.pop(target, None)
            if target not in state.confirmed_findings:
                state.confirmed_findings.append(target)
            return old_state, "confirmed"
        old = state.disposition
        state.disposition = DISPOSITIONS[kind]
        return old, state.disposition


def _template_field(result: SheetResult, field_id: str) -> bool:
    """Whether the result's template has this field (a blank field may be filled in)."""
    from tasksheet.checks.rules import _template_of, specs_of

    return field_id in specs_of(_template_of(result))[1]


def reviewed_results(registry: Registry, status: str | None = None) -> list[
        tuple[SheetResult, ReviewState | None]]:
    """Every stored result as reviewed, with its review (None if none), optionally of one
    (reviewed) status, in `Registry.results()` order."""
    results = registry.results()
    states = Reviews(registry).states()
    out = []
    for r in results:
        state = states.get(r.id)
        shown = reviewed_result(r, state)
        if status is None or shown.status == status:
            out.append((shown, state))
    return out
