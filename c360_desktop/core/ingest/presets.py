"""Tool presets: data files under ``resources/presets/`` that recognise an export and map it.

Supporting a new tool means adding a JSON file; nothing here names a tool.
"""

from __future__ import annotations

import fnmatch
import json
import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from ..errors import C360Error
from ..resources import resource_path
from .fields import CUSTOM, IGNORE, is_known
from .guess import is_common_header
from .normalise import fold

EVENT_KINDS = {"order_line": "order", "order": "order", "payment": "payment", "ticket": "ticket",
               "attendee": "attendance"}
AUTO_ACCEPT_SCORE = 0.45
MIN_EVIDENCE = 1 / 3  # share of a tool's telltale headers a file must have to be taken for that tool's export
FILE_NAME_BONUS = 0.1


class PresetError(C360Error):
    pass


def header_key(header: str) -> str:
    """How headers are compared: case-insensitive, trimmed, BOM and Xero's leading '*' removed."""
    return " ".join(header.replace("\ufeff", "").strip().lstrip("*").strip().lower().split())


@dataclass(frozen=True)
class Preset:
    name: str
    tool: str
    label: str
    record_kind: str
    required: tuple[str, ...]
    excluded: tuple[str, ...]
    telltale: tuple[str, ...]  # the "distinctive" headers hand-made sheets do not use too (not Name, Email, Notes…)
    filename_patterns: tuple[str, ...]
    columns: dict[str, str]
    column_patterns: tuple[tuple[re.Pattern, str], ...]
    constants: dict[str, str] = field(default_factory=dict)
    values: dict[str, dict[str, str]] = field(default_factory=dict)
    group_by: str | None = None
    customer_ref: str | None = None
    date_order: str | None = None
    multi_value_separator: str | None = None
    join: dict[str, str] = field(default_factory=dict)  # field -> separator: several columns make one value
    # Headers whose value names a row that has no name or company of its own (QuickBooks' display name)
    name_when_missing: tuple[str, ...] = ()

    @property
    def source(self) -> str:
        """The tool's key in the vault (``shopify``): records of one tool share their id space."""
        return fold(self.tool).replace(" ", "_") or self.name

    @property
    def event_kind(self) -> str | None:
        return EVENT_KINDS.get(self.record_kind)

    def field_for(self, header: str) -> str:
        key = header_key(header)
        if key in self.columns:
            return self.columns[key]
        for pattern, target in self.column_patterns:
            if pattern.fullmatch(key):
                return target
        return CUSTOM

    def mapping_for(self, headers: list[str]) -> list[str]:
        return [self.field_for(header) for header in headers]

    def evidence(self, keys: set[str]) -> float:
        """The share of this tool's telltale headers among these header keys."""
        return sum(1 for t in self.telltale if t in keys) / len(self.telltale)

    def score(self, headers: list[str], file_name: str = "") -> float:
        """0 unless the headers themselves show the tool: a sheet of names, emails and notes is nobody's export.

        Columns the preset maps add to the score, and so does a file name like the tool's, but neither counts as
        evidence: they only rank the presets the telltale headers let in.
        """
        keys = {header_key(h) for h in headers if h.strip()}
        if not keys or any(required not in keys for required in self.required):
            return 0.0
        if any(excluded in keys for excluded in self.excluded):
            return 0.0
        evidence = self.evidence(keys)
        if evidence < MIN_EVIDENCE:
            return 0.0
        mapped = sum(1 for h in headers if h.strip() and self.field_for(h) not in (CUSTOM,))
        coverage = mapped / len(keys)
        bonus = FILE_NAME_BONUS if any(fnmatch.fnmatch(file_name.lower(), p) for p in self.filename_patterns) else 0.0
        return round(min(1.0, 0.6 * evidence + 0.4 * coverage + bonus), 3)


def _load(path: Path) -> Preset:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        detect = data.get("detect", {})
        telltale = tuple(key for key in map(header_key, detect.get("distinctive", [])) if not is_common_header(key))
        columns = {header_key(k): v for k, v in data["columns"].items()}
        patterns = tuple((re.compile(p["regex"], re.I), p["field"]) for p in data.get("column_patterns", []))
        preset = Preset(
            name=data["name"],
            tool=data["tool"],
            label=data.get("label", data["name"]),
            record_kind=data.get("record_kind", "customer"),
            required=tuple(header_key(h) for h in detect.get("required", [])),
            excluded=tuple(header_key(h) for h in detect.get("exclude", [])),
            telltale=telltale,
            filename_patterns=tuple(p.lower() for p in detect.get("filename_patterns", [])),
            columns=columns,
            column_patterns=patterns,
            constants=dict(data.get("constants", {})),
            values={k: {str(a).lower(): b for a, b in v.items()} for k, v in data.get("values", {}).items()},
            group_by=data.get("group_by"),
            customer_ref=data.get("customer_ref"),
            date_order=data.get("date_order"),
            multi_value_separator=data.get("multi_value_separator"),
            join=dict(data.get("join", {})),
            name_when_missing=tuple(header_key(h) for h in data.get("name_when_missing", [])),
        )
    except (KeyError, TypeError, ValueError, re.error) as error:
        raise PresetError(f"The preset file {path.name} is not valid ({type(error).__name__}).") from None
    if not telltale:
        raise PresetError(f"The preset file {path.name} lists no distinctive header that hand-made sheets lack, "
                          "so no file could be recognised as that tool's export.")
    unknown = sorted({t for t in list(columns.values()) + [f for _, f in patterns] if not is_known(t)})
    if unknown:
        raise PresetError(f"The preset file {path.name} maps to unknown fields: {', '.join(unknown)}.")
    return preset


@lru_cache(maxsize=4)
def _load_all(directory: str) -> tuple[Preset, ...]:
    return tuple(_load(path) for path in sorted(Path(directory).glob("*.json")))


def all_presets() -> tuple[Preset, ...]:
    return _load_all(str(resource_path("presets")))


def get_preset(name: str) -> Preset:
    for preset in all_presets():
        if preset.name == name:
            return preset
    names = ", ".join(p.name for p in all_presets())
    raise PresetError(f"There is no preset named {name!r}. Known presets: {names}.")


@dataclass(frozen=True)
class Detection:
    preset: Preset | None
    confidence: float
    candidates: tuple[tuple[str, float], ...]


def detect_preset(headers: list[str], file_name: str = "") -> Detection:
    """The best preset for these headers, if it is clearly good enough; else None."""
    scored = sorted(((p.score(headers, file_name), p) for p in all_presets()), key=lambda item: -item[0])
    scored = [(s, p) for s, p in scored if s > 0]
    candidates = tuple((p.name, s) for s, p in scored[:5])
    if not scored or scored[0][0] < AUTO_ACCEPT_SCORE:
        return Detection(None, scored[0][0] if scored else 0.0, candidates)
    return Detection(scored[0][1], scored[0][0], candidates)


__all__ = ["AUTO_ACCEPT_SCORE", "Detection", "IGNORE", "Preset", "PresetError", "all_presets", "detect_preset",
           "get_preset", "header_key"]
