"""The education taxonomy model: concepts.csv plus taxonomy.toml and assertions.toml.

Everything the build, the sample generator and the tests know about the
taxonomy comes from here, so that a year is added by editing data, not code.
"""

from __future__ import annotations

import csv
import tomllib
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

MODEL_DIR = Path(__file__).resolve().parent / "model"


@dataclass(frozen=True)
class Concept:
    """One line of concepts.csv."""

    name: str
    section: str
    type: str
    period: str
    balance: str | None
    calc_parent: str | None
    weight: int | None
    label_nl: str
    label_en: str
    required: str
    notes: str


@dataclass(frozen=True)
class Variable:
    """A fact variable of an assertion (see assertions.toml for the fields)."""

    name: str
    concepts: tuple[str, ...]
    period: str | None = None
    member: str | None = None
    cover: tuple[str, ...] = ()
    sequence: bool = False
    fallback: str | None = None


@dataclass(frozen=True)
class GeneralVariable:
    """A general variable: an XPath expression over the other variables."""

    name: str
    select: str


@dataclass(frozen=True)
class Assertion:
    """A value assertion with its published id, severity and bilingual message."""

    id: str
    severity: str
    test: str
    message_nl: str
    message_en: str
    variables: tuple[Variable | GeneralVariable, ...]


@dataclass(frozen=True)
class Year:
    """What one reporting year's package contains."""

    year: int
    wnt_general_maximum: int
    omit_concepts: tuple[str, ...]
    package_name: str
    concepts: tuple[Concept, ...] = field(repr=False)
    names: dict[str, str] = field(repr=False)

    @property
    def namespace(self) -> str:
        """The concept namespace, different for every year."""
        return self.names["namespace"].format(year=self.year)

    @property
    def entry_point(self) -> str:
        """The entry point URL that instances must schemaRef."""
        return self.names["entry_point"].format(year=self.year)

    @property
    def base_url(self) -> str:
        """The URL prefix of every file in this year's package."""
        return f"{self.names['host']}/{self.year}/"

    def concept(self, name: str) -> Concept:
        """The concept called `name` in this year (KeyError when absent)."""
        for concept in self.concepts:
            if concept.name == name:
                return concept
        raise KeyError(name)

    def has(self, name: str) -> bool:
        """True when the year's taxonomy defines concept `name`."""
        return any(c.name == name for c in self.concepts)


def _none_if_blank(value: str) -> str | None:
    return value.strip() or None


@cache
def concepts() -> tuple[Concept, ...]:
    """Every concept of concepts.csv, in file order (which is the statement order)."""
    with (MODEL_DIR / "concepts.csv").open(newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    return tuple(
        Concept(
            name=row["name"],
            section=row["section"],
            type=row["type"],
            period=row["period"],
            balance=_none_if_blank(row["balance"]),
            calc_parent=_none_if_blank(row["calc_parent"]),
            weight=int(row["weight"]) if row["weight"].strip() else None,
            label_nl=row["label_nl"],
            label_en=row["label_en"],
            required=row["required"],
            notes=row["notes"],
        )
        for row in rows
    )


@cache
def settings() -> dict[str, Any]:
    """taxonomy.toml as a dictionary."""
    with (MODEL_DIR / "taxonomy.toml").open("rb") as f:
        return tomllib.load(f)


@cache
def years() -> tuple[Year, ...]:
    """Every reporting year the model defines, oldest first."""
    data = settings()
    result = []
    for key, spec in sorted(data["years"].items()):
        omitted = tuple(spec.get("omit_concepts", ()))
        result.append(
            Year(
                year=int(key),
                wnt_general_maximum=int(spec["wnt_general_maximum"]),
                omit_concepts=omitted,
                package_name=spec["package_name"],
                concepts=tuple(c for c in concepts() if c.name not in omitted),
                names=data["names"],
            )
        )
    return tuple(result)


def year(number: int) -> Year:
    """The model of reporting year `number` (KeyError when the model lacks it)."""
    for y in years():
        if y.year == number:
            return y
    raise KeyError(number)


def _variable(v: dict[str, Any]) -> Variable | GeneralVariable:
    if "select" in v:
        return GeneralVariable(v["name"], v["select"])
    return Variable(
        name=v["name"],
        concepts=tuple(v["concepts"]),
        period=v.get("period"),
        member=v.get("member"),
        cover=tuple(v.get("cover", ())),
        sequence=bool(v.get("sequence", False)),
        fallback=v.get("fallback"),
    )


@cache
def assertions() -> tuple[Assertion, ...]:
    """Every assertion of assertions.toml, in file order."""
    with (MODEL_DIR / "assertions.toml").open("rb") as f:
        data = tomllib.load(f)
    return tuple(
        Assertion(
            id=a["id"],
            severity=a["severity"],
            test=a["test"],
            message_nl=a["message_nl"],
            message_en=a["message_en"],
            variables=tuple(_variable(v) for v in a["variable"]),
        )
        for a in data["assertion"]
    )
