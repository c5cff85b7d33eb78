"""The snapshot file format, as pydantic models.

These models are the one place where the format is defined: the field descriptions below are the
format's documentation, and ``orgmodel schema`` prints them as a JSON Schema that editors can
use to check files as they are written.

A folder of snapshots holds one YAML file per date, named ``YYYY-MM-DD.yaml``, each read into a
:class:`SnapshotFile`, and one ``sources.yaml`` read into a :class:`Bibliography`: the sources that
units cite by key, and optionally the list of unit kinds the folder uses.

Examples
--------
>>> unit = Unit.model_validate(
...     {"id": "cloud", "name": "Cloud Intelligence", "kind": "business_group",
...      "parent": "group", "sources": ["letter-2023"], "confidence": "confirmed"})
>>> unit.status, unit.standing
('active', 'in_line')
"""

from __future__ import annotations

import datetime as dt
import functools
import re
import unicodedata
from collections.abc import Callable
from typing import Annotated, Any, Literal, get_args

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    TypeAdapter,
    field_validator,
)
from pydantic_core import SchemaValidator

__all__ = [
    "COMMON_KINDS",
    "CONFIDENCES",
    "CONFIDENCE_WORDS",
    "CONFIDENCE_WORDS_ZH",
    "ENDED_PLANS",
    "KIND_WORDS_ZH",
    "LANGS",
    "PLANS",
    "PLAN_WORDS",
    "PLAN_WORDS_ZH",
    "STANDING",
    "STATUSES",
    "STATUS_WORDS",
    "STATUS_WORDS_ZH",
    "Bibliography",
    "Confidence",
    "Lang",
    "Leader",
    "PartialDate",
    "Plan",
    "Removal",
    "SnapshotFile",
    "Source",
    "Standing",
    "Status",
    "Unit",
    "UnitId",
    "quick_validator",
    "role_keys",
    "standing_of",
]

ID_PATTERN = r"^[a-z0-9][a-z0-9._-]*$"

UnitId = Annotated[
    str,
    StringConstraints(pattern=ID_PATTERN, max_length=120),
    Field(
        description="A unit's identity across time: lower-case letters, digits, '.', '_' and "
        "'-', starting with a letter or digit. The same id in two snapshots is the same unit, "
        "whatever its name or parent."
    ),
]

SOURCE_KEY_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9._:-]*$"
SourceKey = Annotated[
    str,
    StringConstraints(pattern=SOURCE_KEY_PATTERN, max_length=200),
    Field(description="The key of a source in the folder's sources.yaml."),
]

KIND_PATTERN = r"^[a-z][a-z0-9_]*$"
KindName = Annotated[
    str,
    StringConstraints(pattern=KIND_PATTERN, max_length=60),
    Field(
        description="What sort of unit this is, e.g. holding, business_group, business_unit, "
        "company, function, lab, affiliate. If sources.yaml lists kinds, only those are allowed."
    ),
]

#: Characters a terminal or an XML file would act on or refuse rather than show: C0 and C1
#: controls, DEL, and the bidirectional overrides and isolates that reorder the rest of a line.
#: Prose may hold line breaks and tabs; no text field holds the rest.
#: Written as escapes that both Python's ``re`` and pydantic-core's regex engine read.
_UNSAFE_TEXT_CHARS = r"\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069"
_UNSAFE_PROSE_CHARS = r"\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069"
UNSAFE_IN_TEXT = re.compile(f"[{_UNSAFE_TEXT_CHARS}]")
UNSAFE_IN_PROSE = re.compile(f"[{_UNSAFE_PROSE_CHARS}]")

#: The Python checks of the models that pydantic-core can make itself, each with the pattern a
#: value passes exactly when the check passes (see :func:`quick_validator`).
_NATIVE_PATTERNS: dict[Callable[[str], str], str] = {}


def _no_control(pattern: re.Pattern[str]) -> AfterValidator:
    def check(value: str) -> str:
        found = pattern.search(value)
        if found is None:
            return value
        char, at = found.group(), found.start() + 1
        if char in "\r\n":
            raise ValueError(f"contains a line break at character {at}; write it on one line")
        if unicodedata.category(char) == "Cc":
            raise ValueError(
                f"contains the control character U+{ord(char):04X} at character {at}; remove it"
            )
        raise ValueError(
            f"contains the bidirectional override U+{ord(char):04X} at character {at}, which "
            "would reorder what is shown; remove it"
        )

    _NATIVE_PATTERNS[check] = f"^[^{pattern.pattern[1:-1]}]*$"
    return AfterValidator(check)


Text = Annotated[
    str, StringConstraints(min_length=1, strip_whitespace=True), _no_control(UNSAFE_IN_TEXT)
]
#: Text that may run over several lines (a note, a summary).
Prose = Annotated[
    str, StringConstraints(min_length=1, strip_whitespace=True), _no_control(UNSAFE_IN_PROSE)
]

PARTIAL_DATE_PATTERN = r"^\d{4}(-\d{2}(-\d{2})?)?$"
PartialDate = Annotated[
    str,
    StringConstraints(pattern=PARTIAL_DATE_PATTERN),
    Field(description="A date as YYYY, YYYY-MM or YYYY-MM-DD."),
]

Confidence = Literal["confirmed", "single-source", "unconfirmed"]
CONFIDENCES: tuple[Confidence, ...] = get_args(Confidence)

Status = Literal["active", "standalone", "listed", "affiliate"]
STATUSES: tuple[Status, ...] = get_args(Status)

#: What each status says a unit is, in words.
STATUS_WORDS: dict[Status, str] = {
    "active": "in line",
    "standalone": "stand-alone company",
    "listed": "listed company",
    "affiliate": "affiliate outside the group",
}
#: The same, in Chinese.
STATUS_WORDS_ZH: dict[Status, str] = {
    "active": "体系内",
    "standalone": "独立运营公司",
    "listed": "上市公司",
    "affiliate": "集团外关联公司",
}

Plan = Literal[
    "ipo_planned",
    "ipo_paused",
    "ipo_cancelled",
    "spin_off_planned",
    "spin_off_paused",
    "spin_off_cancelled",
    "sale_agreed",
    "sale_cancelled",
]
PLANS: tuple[Plan, ...] = get_args(Plan)

#: How each plan reads: what has been announced about the unit and not yet done.
PLAN_WORDS: dict[Plan, str] = {
    "ipo_planned": "IPO planned",
    "ipo_paused": "IPO paused",
    "ipo_cancelled": "IPO cancelled",
    "spin_off_planned": "spin-off planned",
    "spin_off_paused": "spin-off paused",
    "spin_off_cancelled": "spin-off cancelled",
    "sale_agreed": "sale agreed",
    "sale_cancelled": "sale called off",
}
#: The same, in Chinese.
PLAN_WORDS_ZH: dict[Plan, str] = {
    "ipo_planned": "计划上市",
    "ipo_paused": "上市暂停",
    "ipo_cancelled": "上市取消",
    "spin_off_planned": "计划分拆",
    "spin_off_paused": "分拆暂停",
    "spin_off_cancelled": "分拆取消",
    "sale_agreed": "已达成出售协议",
    "sale_cancelled": "出售取消",
}

#: How each confidence reads, in words; and in Chinese.
CONFIDENCE_WORDS: dict[Confidence, str] = {
    "confirmed": "confirmed",
    "single-source": "single source",
    "unconfirmed": "unconfirmed",
}
CONFIDENCE_WORDS_ZH: dict[Confidence, str] = {
    "confirmed": "已证实",
    "single-source": "单一来源",
    "unconfirmed": "未证实",
}

#: Chinese words for the usual kinds of unit. A kind is data (any snapshot may name its own),
#: so a kind not listed here reads as its name.
KIND_WORDS_ZH: dict[str, str] = {
    "holding": "控股公司",
    "segment": "板块",
    "business_group": "事业群",
    "business_unit": "事业部",
    "company": "公司",
    "function": "职能部门",
    "lab": "研究机构",
    "committee": "委员会",
    "affiliate": "关联公司",
}

#: The usual kinds of unit, in the order the pictures give them colours when they are not told
#: a history's own order: so a holding or a business group has one colour in every picture.
COMMON_KINDS: tuple[str, ...] = tuple(KIND_WORDS_ZH)

#: The languages the library words its output in.
Lang = Literal["en", "zh"]
LANGS: tuple[Lang, ...] = get_args(Lang)

#: Plans that record an end: a plan dropped from the record after one of these is no news.
ENDED_PLANS: frozenset[Plan] = frozenset({"ipo_cancelled", "spin_off_cancelled", "sale_cancelled"})

#: The statuses of earlier versions of the format that were plans, and how to write them now.
_FORMER_STATUSES: frozenset[str] = frozenset(
    {"ipo_planned", "ipo_paused", "ipo_cancelled", "sale_agreed"}
)

Standing = Literal["in_line", "standalone", "outside"]

#: How far a status puts a unit from its line. A unit whose standing rises is spun off; one whose
#: standing falls back to one it had before has returned. A plan never changes a standing.
STANDING: dict[str, Standing] = {
    "active": "in_line",
    "standalone": "standalone",
    "listed": "standalone",
    "affiliate": "outside",
}
STANDING_RANK: dict[Standing, int] = {"in_line": 0, "standalone": 1, "outside": 2}


def standing_of(status: str) -> Standing:
    """The standing a status gives a unit: ``in_line``, ``standalone`` or ``outside``.

    >>> standing_of("listed")
    'standalone'
    """
    return STANDING[status]


ConfidentField = Literal[
    "name", "name_zh", "kind", "parent", "status", "plan", "leaders", "lineage"
]


class _Model(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", str_strip_whitespace=True)


class Leader(_Model):
    """A person who leads a unit, as the sources name them."""

    name: Text = Field(description="The person's name in English (pinyin for Chinese names).")
    name_zh: Text | None = Field(None, description="The name in Chinese, where a source gives it.")
    role: Text = Field(description="The title they hold in this unit, e.g. 'CEO', 'President'.")
    sources: tuple[SourceKey, ...] = Field(
        (), description="Keys of the sources that name this person in this role."
    )
    confidence: Confidence | None = Field(
        None, description="How sure the sources make this: confirmed, single-source, unconfirmed."
    )


_ROLE_PREFIXES: tuple[str, ...] = ("acting ", "interim ")
_ROLE_SYNONYMS: dict[str, str] = {
    "chief executive officer": "ceo",
    "chief executive": "ceo",
    "chair": "chairman",
    "chairperson": "chairman",
    "chairwoman": "chairman",
}


_ROLE_HEADS: tuple[str, ...] = (
    "ceo", "cfo", "cto", "coo", "cpo", "chairman", "chair", "president", "chief", "head",
    "director", "general manager", "managing director", "founder", "vice", "executive",
    "secretary", "partner",
)  # fmt: skip


def _split_and(piece: str) -> list[str]:
    left, sep, right = piece.partition(" and ")
    if sep and right.lower().startswith(_ROLE_HEADS) and left.strip():
        return [left.strip(), *_split_and(right.strip())]
    return [piece]


def role_keys(role: str) -> tuple[tuple[str, str], ...]:
    """The roles a title names, as (key, title) pairs: the key compares roles across wordings
    ("Acting CEO" and "Chief Executive Officer" are one role), the title is the words used.

    >>> role_keys("Acting Chairman and CEO")
    (('chairman', 'Acting Chairman'), ('ceo', 'Acting CEO'))
    """
    text = " ".join(role.split())
    prefix = ""
    for word in _ROLE_PREFIXES:
        if text.lower().startswith(word):
            prefix, text = text[: len(word)], text[len(word) :]
            break
    pieces = [p.strip() for p in re.split(r"\s*[&/,;]\s*", text) if p.strip()]
    # "Chairman and CEO" names two roles; "President of Taobao and Tmall" names one.
    pieces = [part for piece in pieces for part in _split_and(piece)]
    pairs: dict[str, str] = {}
    for piece in pieces or [text]:
        key = piece.lower()
        pairs.setdefault(_ROLE_SYNONYMS.get(key, key), prefix + piece)
    return tuple(pairs.items())


class Unit(_Model):
    """One unit of the organisation as it stood on the snapshot's date."""

    id: UnitId
    name: Text = Field(description="The unit's name in English on this date.")
    name_zh: Text | None = Field(None, description="The unit's name in Chinese, where known.")
    kind: KindName
    parent: UnitId | None = Field(
        None, description="The id of the unit this one sits under; empty for the root."
    )
    status: Status = Field(
        "active",
        description="What the unit is: active (part of its line), standalone (run as a "
        "stand-alone company inside the group), listed (a separately listed company of the "
        "group), affiliate (held, but outside the consolidated group).",
    )
    plan: Plan | None = Field(
        None,
        description="What has been announced about the unit and not yet done: ipo_planned, "
        "ipo_paused, ipo_cancelled, spin_off_planned, spin_off_paused, spin_off_cancelled, "
        "sale_agreed, sale_cancelled. Empty when nothing is pending. A plan is not a status: "
        "a unit whose spin-off is planned is still what its status says.",
    )
    leaders: tuple[Leader, ...] = Field((), description="Who leads the unit, where sourced.")
    lineage: tuple[UnitId, ...] = Field(
        (),
        description="The units this one was formed from, when it was formed from others (a "
        "split, a merger, a carve-out). Keep it in later snapshots: it is part of the unit.",
    )
    sources: tuple[SourceKey, ...] = Field(
        (), description="Keys of the sources that justify the unit as described."
    )
    confidence: Confidence | None = Field(
        None,
        description="How sure the sources make the unit as described: confirmed (several "
        "sources, or an official one), single-source, or unconfirmed.",
    )
    field_confidence: dict[ConfidentField, Confidence] = Field(
        default_factory=dict,
        description="Confidence of single facts where it differs from the unit's, e.g. "
        "{parent: unconfirmed} when the unit is sourced but its place is inferred.",
    )
    note: Prose | None = Field(None, description="A sentence on anything a reader should know.")

    @field_validator("status", mode="before")
    @classmethod
    def _status_not_plan(cls, value: Any) -> Any:
        if isinstance(value, str) and value in _FORMER_STATUSES:
            raise ValueError(
                f"'{value}' is a plan, not a status: write what the unit is as its status "
                f"(active, standalone, listed or affiliate) and add 'plan: {value}'"
            )
        return value

    @field_validator("lineage")
    @classmethod
    def _lineage_unique(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        if len(set(value)) != len(value):
            raise ValueError("lineage names the same unit twice")
        return value

    @property
    def standing(self) -> Standing:
        """``in_line``, ``standalone`` or ``outside``, from :attr:`status`."""
        return STANDING[self.status]


RemovalHow = Literal["dissolved", "divested", "absorbed", "spun_off"]


class Removal(_Model):
    """Why a unit of the previous snapshot is gone from this one."""

    how: RemovalHow | None = Field(
        None,
        description="dissolved (wound up, its work ended or scattered), divested (sold), "
        "absorbed (taken into another unit), spun_off (left the group as a company of its own). "
        "Leave it out when the sources do not say how: the report then says no more than the "
        "structure shows.",
    )
    into: UnitId | None = Field(
        None, description="With absorbed: the unit of this snapshot that took it in."
    )
    sources: tuple[SourceKey, ...] = Field((), description="Sources for the removal.")
    confidence: Confidence | None = Field(
        None, description="How sure the sources make the removal and how it happened."
    )
    note: Prose | None = Field(None, description="A sentence on the removal.")


class SnapshotFile(_Model):
    """One snapshot file: the organisation on one date."""

    date: dt.date = Field(
        description="The date from which this structure is in force; it must match the file "
        "name (YYYY-MM-DD.yaml). It stays in force until the next snapshot's date."
    )
    title: Text = Field(description="A short heading for the structure of this date.")
    summary: Prose | None = Field(None, description="What changed, in a sentence or two.")
    sources: tuple[SourceKey, ...] = Field(
        (), description="Sources for the snapshot as a whole (e.g. the announcement)."
    )
    units: tuple[Unit, ...] = Field(
        min_length=1, description="Every unit in force on the date, parents before children."
    )
    removed: dict[UnitId, Removal] = Field(
        default_factory=dict,
        description="Units of the previous snapshot that are gone from this one, and how they "
        "went. Optional: without it, a unit named in another's lineage counts as absorbed, "
        "one whose sub-units live on elsewhere as dissolved, one under a unit that left the "
        "group as spun off with it, and any other as gone with no word on how.",
    )

    @field_validator("date", mode="before")
    @classmethod
    def _full_date(cls, value: Any) -> Any:
        if isinstance(value, str) and not re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
            raise ValueError("a snapshot's date must be a full date, YYYY-MM-DD")
        if isinstance(value, dt.datetime):
            raise ValueError("a snapshot's date must be a date, YYYY-MM-DD, without a time")
        return value


class Source(_Model):
    """One entry in the bibliography."""

    title: Text = Field(description="The title of the article, filing or page.")
    publisher: Text = Field(description="Who published it: outlet, company, regulator.")
    date: PartialDate = Field(description="When it was published: YYYY, YYYY-MM or YYYY-MM-DD.")
    url: Text | None = Field(None, description="Where it can be read, if online.")
    language: Text | None = Field(None, description="Language code, e.g. en, zh.")
    note: Prose | None = Field(None, description="What the source supports, or a caveat.")

    @field_validator("date", mode="before")
    @classmethod
    def _date_as_text(cls, value: Any) -> Any:
        # YAML reads 2022 as a number and 2022-01-05 as a date; both are fine dates here.
        if isinstance(value, dt.datetime):
            return value
        if isinstance(value, dt.date):
            return value.isoformat()
        if isinstance(value, int) and not isinstance(value, bool):
            return str(value)
        return value


class Bibliography(_Model):
    """The folder's ``sources.yaml``: sources cited by key, and the kinds units may have."""

    title: Text | None = Field(None, description="What the folder describes, e.g. the group.")
    kinds: dict[KindName, Text] | None = Field(
        None,
        description="The kinds units may have, each with a description; their order is the "
        "legend's. When absent, any kind is accepted.",
    )
    sources: dict[SourceKey, Source] = Field(
        default_factory=dict, description="Every source, by the key that units cite."
    )


#: Checks that only explain, in the format's words, a value that the field's type refuses
#: anyway: without them a value is accepted or refused all the same.
_EXPLAINERS = frozenset({"Unit._status_not_plan"})
_MODELS = (Leader, Unit, Removal, SnapshotFile, Source, Bibliography)


def _natively(schema: Any) -> Any:
    """A copy of a pydantic core schema with every Python check that pydantic-core can make
    itself replaced by its own (a text check by its pattern), and every explainer left out."""
    if isinstance(schema, list):
        return [_natively(item) for item in schema]
    if not isinstance(schema, dict):
        return schema
    call = schema.get("function")
    function = call.get("function") if isinstance(call, dict) else None
    kind = schema.get("type")
    if kind == "function-after" and function in _NATIVE_PATTERNS:
        inner = _natively(schema["schema"])
        if inner.get("type") == "str" and "pattern" not in inner:
            return {**inner, "pattern": _NATIVE_PATTERNS[function]}
    if kind == "function-before" and getattr(function, "__qualname__", "") in _EXPLAINERS:
        return _natively(schema["schema"])
    return {key: _natively(value) for key, value in schema.items()}


@functools.cache
def quick_validator(shape: Any) -> SchemaValidator:
    """A validator for ``shape`` (a model, or a type such as ``list[Unit]``) that accepts
    exactly what pydantic's validation of it accepts and builds the same objects, but checks
    text in pydantic-core rather than calling back into Python for every field: several times
    fewer Python calls on a big file. Its error messages are pydantic-core's, not the format's:
    when it refuses a value, validate the value with the model itself to say what is wrong.

    >>> unit = quick_validator(Unit).validate_json(b'{"id": "g", "name": " G ", "kind": "k"}')
    >>> unit == Unit(id="g", name="G", kind="k"), type(unit).__name__
    (True, 'Unit')
    """
    schema = _natively(TypeAdapter(shape).core_schema)
    # pydantic-core takes a finished model's own validator for the model's part of a schema;
    # these models must be rebuilt from the schema given, so they are marked unfinished while
    # it is read (their own validators, built already, are not touched).
    complete = {model: model.__dict__.get("__pydantic_complete__") for model in _MODELS}
    try:
        for model in _MODELS:
            type.__setattr__(model, "__pydantic_complete__", False)
        return SchemaValidator(schema)
    finally:
        for model, flag in complete.items():
            type.__setattr__(model, "__pydantic_complete__", flag)
