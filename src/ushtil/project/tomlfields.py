"""Typed reading of TOML tables with file and line for every complaint.

Used by ``project.config`` (site.toml), ``project.articles`` (article.toml and front
matter). A
:class:`Fields` reader collects diagnostics rather than raising.
"""

from __future__ import annotations

import datetime as dt
import difflib
import json
import re
import tomllib
from typing import Any

from ushtil.project.problems import Diagnostic, Location, Severity, error
from ushtil.project.text import CANNOT_PUBLISH, unpublishable

_TOML_POS = re.compile(r"\s*\(at line (\d+), column (\d+)\)\s*$")
_HEADER = re.compile(r"^\s*\[\[?\s*([^\]]+?)\s*\]\]?\s*(#.*)?$")
# The years a date-time may have: enough for any archive of web news, and far from the
# limits of date arithmetic (year 1 and 9999) and from local mean time offsets.
EARLIEST_YEAR, LATEST_YEAR = 1970, 2999
# Arrays and inline tables inside one another. tomllib reads each level with calls of its
# own, so a few hundred ``[`` exhaust Python's stack (RecursionError); project files use
# two levels. Deeper is refused before tomllib reads it, the same on any stack.
MAX_NESTING = 32
# What opens or closes a level, and what hides brackets from it as TOML reads it: strings
# (multi-line ones first; an unterminated one runs to the end) and comments. A dotted key
# (`a.b.c = 1`, `[a.b.c]`) nests a table for each dot: a run of key characters, strings
# and dots counts its dots until `=`, `,`, `:`, a bracket or a line's end (a number or a
# time has one dot at most).
_NESTING = re.compile(
    r'"""(?:[^"\\]|\\[\s\S]?|"{1,2}(?!"))*(?:"{3,5}|\Z)'
    r"|'''(?:[^']|'{1,2}(?!'))*(?:'{3,5}|\Z)"
    r'|"(?:[^"\\\n]|\\[^\n]?)*"?'
    r"|'[^'\n]*'?"
    r"|#[^\n]*"
    r"|([\[{])|[\]}]"
    r"|(\.)|[=,:\n]"
)


def parse_toml(
    text: str, path: str, first_line: int = 1
) -> tuple[dict[str, Any] | None, list[Diagnostic]]:
    """Parse TOML; on a syntax error, the diagnostic names the line in the file. The one
    way ushtil reads TOML from a project: arrays, tables and dotted keys nested more than
    :data:`MAX_NESTING` deep are refused at the line where they go too deep."""
    deep = too_deep(text)
    if deep is not None:
        message = f"arrays, tables and dotted keys nested more than {MAX_NESTING} deep"
        return None, [error(Location(path, first_line + deep - 1), "toml-nesting", message)]
    try:
        return tomllib.loads(text), []
    except RecursionError:  # not reached after too_deep; kept so that no text can crash a run
        message = "arrays and tables nested too deep"
        return None, [error(Location(path, first_line), "toml-nesting", message)]
    except tomllib.TOMLDecodeError as exc:
        message = str(exc)
        line = first_line
        found = _TOML_POS.search(message)
        if found:
            line = first_line + int(found.group(1)) - 1
            message = message[: found.start()]
        elif "end of document" in message:
            line = first_line + max(text.count("\n") - 1, 0)
        return None, [error(Location(path, line), "toml-syntax", f"TOML syntax error: {message}")]


def too_deep(text: str) -> int | None:
    """The line (from 1) where arrays, tables and dotted keys nest more than
    :data:`MAX_NESTING` deep, outside strings and comments; None when they do not."""
    if text.count("[") + text.count("{") + text.count(".") <= MAX_NESTING:
        return None
    depth = dots = 0
    for found in _NESTING.finditer(text):
        token = found.group()
        if found.group(2):
            dots += 1
            if depth + dots > MAX_NESTING:
                return text.count("\n", 0, found.start()) + 1
            continue
        if token[0] in "\"'":
            continue  # a quoted key between dots, or a value
        dots = 0
        if found.group(1):
            depth += 1
            if depth > MAX_NESTING:
                return text.count("\n", 0, found.start()) + 1
        elif token in ("]", "}"):
            depth = max(depth - 1, 0)
    return None


def key_line(text: str, key: str, table: str = "", first_line: int = 1) -> int:
    """The line where ``key`` is set inside ``[table]`` (or the top level); else the table's."""
    current = ""
    table_line = first_line
    escaped = json.dumps(key, ensure_ascii=False)[1:-1]  # a key as TOML may spell it: "site\n"
    spellings = {re.escape(key), re.escape(escaped)}
    pattern = re.compile(r"^\s*[\"']?(?:" + "|".join(spellings) + r")[\"']?\s*=")
    for number, line in enumerate(text.splitlines(), start=first_line):
        header = _HEADER.match(line)
        if header:
            current = header.group(1).replace('"', "").replace("'", "")
            if current == table:
                table_line = number
            continue
        if current == table and pattern.match(line):
            return number
    return table_line


def closest(word: str, choices: list[str] | tuple[str, ...]) -> str:
    match = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
    return f" (did you mean '{match[0]}'?)" if match else ""


class Fields:
    """Reads one TOML table of a file, remembering where each key stands."""

    def __init__(
        self,
        data: dict[str, Any],
        path: str,
        text: str,
        *,
        table: str = "",
        first_line: int = 1,
        shared: list[Diagnostic] | None = None,
    ) -> None:
        """``shared``: a parent table's problems, which a sub-table's join."""
        self.data = data
        self.path = path
        self.text = text
        self.table = table
        self.first_line = first_line
        self.diagnostics: list[Diagnostic] = shared if shared is not None else []

    def where(self, key: str) -> Location:
        return Location(self.path, key_line(self.text, key, self.table, self.first_line))

    def _name(self, key: str) -> str:
        return f"{self.table}.{key}" if self.table else key

    def fail(self, key: str, code: str, message: str) -> None:
        self.diagnostics.append(error(self.where(key), code, message))

    def sub(self, key: str) -> Fields | None:
        value = self.data.get(key)
        if value is None:
            return None
        if not isinstance(value, dict):
            self.fail(key, "type", f"'{self._name(key)}' must be a table")
            return None
        return Fields(
            value,
            self.path,
            self.text,
            table=self._name(key),
            first_line=self.first_line,
            shared=self.diagnostics,
        )

    def _get(self, key: str, kind: type | tuple[type, ...], what: str, required: bool) -> Any:
        if key not in self.data:
            if required:
                self.fail(key, "missing-key", f"'{self._name(key)}' is required")
            return None
        value = self.data[key]
        if isinstance(value, bool) and kind is not bool:
            value_ok = False
        else:
            value_ok = isinstance(value, kind)
        if not value_ok:
            self.fail(key, "type", f"'{self._name(key)}' must be {what}, not {_describe(value)}")
            return None
        return value

    def string(self, key: str, *, required: bool = False, nonempty: bool = False) -> str | None:
        value = self._get(key, str, "a string", required)
        if value is not None and nonempty and not value.strip():
            self.fail(key, "empty", f"'{self._name(key)}' must not be empty")
            return None
        if value is not None and not self._publishable(key, value):
            return None
        return value  # type: ignore[no-any-return]  # _get checked its type

    def _publishable(self, key: str, value: str) -> bool:
        found = unpublishable(value)
        if found is None:
            return True
        _, what = found
        self.fail(key, "character", f"'{self._name(key)}' contains {what}, which {CANNOT_PUBLISH}")
        return False

    def integer(self, key: str, *, minimum: int = 1) -> int | None:
        value = self._get(key, int, "a whole number", False)
        if value is not None and value < minimum:
            self.fail(key, "range", f"'{self._name(key)}' must be at least {minimum}")
            return None
        return value  # type: ignore[no-any-return]  # _get checked its type

    def boolean(self, key: str) -> bool | None:
        return self._get(key, bool, "true or false", False)  # type: ignore[no-any-return]  # _get checked its type

    def strings(self, key: str) -> tuple[str, ...] | None:
        value = self._get(key, list, "a list of strings", False)
        if value is None:
            return None
        if not all(isinstance(item, str) for item in value):
            self.fail(key, "type", f"'{self._name(key)}' must be a list of strings")
            return None
        if not all(self._publishable(key, item) for item in value):
            return None
        return tuple(value)

    def choice(self, key: str, choices: tuple[str, ...]) -> str | None:
        value = self.string(key)
        if value is not None and value not in choices:
            allowed = ", ".join(f"'{c}'" for c in choices)
            self.fail(key, "choice", f"'{self._name(key)}' must be one of {allowed}, not '{value}'")
            return None
        return value

    def datetime(self, key: str, *, required: bool = False) -> dt.datetime | None:
        value = self._get(key, (dt.datetime, dt.date, str), "a date-time", required)
        if value is None:
            return None
        name = self._name(key)
        if isinstance(value, str):
            self.fail(
                key,
                "type",
                f"'{name}' must be a TOML date-time such as 2016-07-07T14:05:00+06:00, "
                f"not a quoted string",
            )
            return None
        if not isinstance(value, dt.datetime):
            self.fail(
                key, "no-time", f"'{name}' must have a time and an offset, e.g. T14:05:00+06:00"
            )
            return None
        if value.tzinfo is None:
            self.fail(key, "no-offset", f"'{name}' has no time zone offset, e.g. +06:00")
            return None
        if not EARLIEST_YEAR <= value.year <= LATEST_YEAR:
            years = f"the year must be {EARLIEST_YEAR} to {LATEST_YEAR}"
            self.fail(key, "range", f"'{name}' {value.isoformat()} is out of range: {years}")
            return None
        return value

    def unknown(self, allowed: tuple[str, ...], *, severity: Severity = Severity.ERROR) -> None:
        for key in self.data:
            if key not in allowed:
                self.diagnostics.append(
                    Diagnostic(
                        severity,
                        self.where(key),
                        "unknown-key",
                        f"unknown key '{self._name(key)}'{closest(key, allowed)}",
                    )
                )


def _describe(value: Any) -> str:
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, (int, float)):
        return "a number"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a table"
    if isinstance(value, (dt.date, dt.time)):
        return "a date"
    return type(value).__name__
