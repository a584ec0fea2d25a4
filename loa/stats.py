"""Statistics: `data/*.yaml` read into checked `Dataset`s, and their downloads.

Each file holds one or more datasets keyed by an id; a dataset is known to the
site as `<file stem>.<id>` (`poverty.rate`). A dataset has a `title`, a `unit`,
a `source`, an `as_of` date, an optional `description`, and exactly one of
`value` (one figure), `series` (by year: `{2023: 2.1, 2024: 1.7}`) or `by` (by
category: `{"Phước Long": 100}`); an optional `area` groups it on the statistics page
and an optional `weight` orders it there (smaller first). In `series` and `by`, each row
may instead hold several named figures sharing the same names
(`{2024: {"Hộ nghèo": 1.7, …}}`).
Every `data/*.yaml` but one is read so: `data/viet-tat.yaml` is the loudspeaker
scripts' glossary (`GLOSSARY`).
"""
from __future__ import annotations

import csv
import datetime as dt
import difflib
import io
import json
import math
import os
import re
from pathlib import Path
from typing import Any

from .errors import Diagnostic, os_problem, problem
from .frontmatter import YamlDoc, read_yaml
from .models import Dataset
from .text import (date_problem, date_suggestion, nfc, parse_date, plain_text, read_text,
                   whole_number)

DATA = "data"
# The one YAML file of data/ that holds no statistics: the glossary of abbreviations
# that loudspeaker scripts expand (loa/spoken.py). Every other data/*.yaml is datasets.
GLOSSARY = "viet-tat.yaml"
UNITS = ("percent", "households", "people", "sites", "hamlets", "communes", "subscribers",
         "teams", "number")
FIELDS = ("title", "unit", "source", "as_of", "description", "area", "weight", "value",
          "series", "by")
SHAPES = ("value", "series", "by")
_PERIOD = re.compile(r"\d{4}(?:-\d{2}(?:-\d{2})?)?")  # 2024, 2024-06, 2024-06-30
# A figure must be shown, charted and downloaded as the number it is. Charts compute with
# doubles, and spreadsheets and JSON readers take a number for one: a double holds 15
# significant digits faithfully (DBL_DIG), and Excel shows no more than 15. So a figure is
# below 10^15 in size; no count of a province's people or households comes near it.
LARGEST = 10 ** 15


def _number(value: Any) -> float | None:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    return value


def _is_period(label: str) -> bool:
    """A year, a month or a day that exists: 2024, 2024-06, 2024-06-30 (not 2024-13-45)."""
    if not _PERIOD.fullmatch(label):
        return False
    year, month, day = (list(map(int, label.split("-"))) + [1, 1])[:3]
    try:
        dt.date(year, month, day)
    except ValueError:
        return False
    return True


class _Reader:
    """Collects one dataset's problems while turning its YAML into rows."""

    def __init__(self, doc: YamlDoc, path: str, key: str, unit: Any) -> None:
        self.doc, self.path, self.key, self.unit = doc, path, key, unit
        self.found: list[Diagnostic] = []

    def figure(self, value: Any, *where: object) -> float | None:
        number = _number(value)
        line = self.doc.line(self.key, *where)
        if number is None:
            self.found.append(problem(self.path, line, "data_not_number", value=value,
                                      dataset=self.key))
        elif isinstance(number, float) and not math.isfinite(number):  # .nan, .inf, 1.0e+400
            self.found.append(problem(self.path, line, "data_not_finite", value=value))
        elif abs(number) >= LARGEST:
            self.found.append(problem(self.path, line, "data_too_large", value=value))
        elif self.unit == "percent" and not 0 <= number <= 100:
            self.found.append(problem(self.path, line, "data_percent", value=value,
                                      dataset=self.key))
        else:
            return number
        return None

    def rows(self, shape: str, raw: dict) -> tuple[tuple[str, ...], list]:
        first = next(iter(raw.values()))
        columns = tuple(nfc(str(c)) for c in first) if isinstance(first, dict) else ("",)
        rows = []
        for label, value in raw.items():
            if shape == "series" and not _is_period(str(label)):
                self.found.append(problem(self.path, self.doc.line(self.key, shape, label),
                                          "data_series_key", value=label, dataset=self.key))
                continue
            if columns == ("",):
                values = (self.figure(value, shape, label),)
            elif isinstance(value, dict) and tuple(nfc(str(c)) for c in value) == columns:
                values = tuple(self.figure(v, shape, label, c) for c, v in value.items())
            else:
                self.found.append(problem(self.path, self.doc.line(self.key, shape, label),
                                          "data_columns", row=label,
                                          columns=", ".join(columns)))
                continue
            rows.append((nfc(str(label)), values))
        if shape == "series":
            rows.sort(key=lambda row: row[0])
        return columns, rows


def _dataset(doc: YamlDoc, path: str, key: str, spec: Any) -> tuple[Dataset | None,
                                                                     list[Diagnostic]]:
    line = doc.line(key, default=1)
    if not isinstance(spec, dict):
        return None, [problem(path, line, "data_not_mapping", dataset=key)]
    reader = _Reader(doc, path, key, spec.get("unit"))
    found = reader.found
    for field in spec:
        if field not in FIELDS:
            close = difflib.get_close_matches(str(field), FIELDS, n=1, cutoff=0.6)
            found.append(problem(path, doc.line(key, field), "data_unknown_field", field=field,
                                 suggestion=close[0] if close else "title",
                                 known=", ".join(FIELDS)))
    for field in ("title", "unit", "source", "as_of"):
        if spec.get(field) in (None, ""):
            found.append(problem(path, line, "data_missing", field=field, dataset=key))
    for field in ("title", "source", "description", "area"):
        if spec.get(field) not in (None, "") and plain_text(spec[field]) is None:
            found.append(problem(path, doc.line(key, field), "field_text", field=field))
    weight = spec.get("weight")
    if weight is not None and whole_number(weight) is None:
        found.append(problem(path, doc.line(key, "weight"), "field_int", field="weight",
                             value=weight))
    unit = spec.get("unit")
    if unit not in (None, "") and unit not in UNITS:
        found.append(problem(path, doc.line(key, "unit"), "data_unit", value=unit,
                             known=", ".join(UNITS)))
    as_of = parse_date(spec["as_of"]) if spec.get("as_of") not in (None, "") else None
    if spec.get("as_of") not in (None, "") and as_of is None:
        found.append(problem(path, doc.line(key, "as_of"), date_problem(spec["as_of"]),
                             field="as_of", value=spec["as_of"],
                             suggestion=date_suggestion(spec["as_of"]) or "YYYY-MM-DD"))
    shapes = [s for s in SHAPES if s in spec]
    if len(shapes) != 1:
        found.append(problem(path, line, "data_shape", dataset=key))
        return None, found
    shape = shapes[0]
    raw = {"": spec[shape]} if shape == "value" else spec[shape]
    if not isinstance(raw, dict) or not raw or (shape == "value" and isinstance(raw[""], dict)):
        found.append(problem(path, doc.line(key, shape), "data_points", dataset=key,
                             shape=shape))
        return None, found
    columns, rows = reader.rows(shape, raw)
    if found:
        return None, found
    return Dataset(id=f"{Path(path).stem}.{key}", path=path, line=line,
                   title=nfc(str(spec["title"])), unit=unit, source=nfc(str(spec["source"])),
                   as_of=as_of, rows=tuple(rows), columns=columns, kind=shape,
                   description=nfc(str(spec.get("description") or "")),
                   area=nfc(str(spec.get("area") or "")), weight=weight), []


def _data_files(folder: Path) -> tuple[list[Path], list[Diagnostic]]:
    """The YAML files of data/ (a folder or an unreadable file among them is reported
    when it is read)."""
    if not folder.is_dir():
        return [], []
    try:
        names = sorted(os.listdir(folder))
    except OSError as error:
        return [], [os_problem(error, DATA)]
    return ([folder / name for name in names if name.endswith(".yaml")]
            + [folder / name for name in names if name.endswith(".yml")]), []


def load(root: Path) -> tuple[dict[str, Dataset], list[Diagnostic]]:
    """Every dataset of `<root>/data/`, by id."""
    datasets: dict[str, Dataset] = {}
    files, found = _data_files(root / DATA)
    for file in files:
        if file.name == GLOSSARY:
            continue
        path = nfc(file.relative_to(root).as_posix())
        text, problems = read_text(file, path)
        doc, more = read_yaml(text, path) if text is not None else (None, [])
        found += problems + more
        if doc is None:
            continue
        if not isinstance(doc.data, dict):
            found.append(problem(path, 1, "data_file_not_mapping"))
            continue
        for key, spec in doc.data.items():
            dataset, problems = _dataset(doc, path, str(key), spec)
            found += problems
            if dataset:
                datasets[dataset.id] = dataset
    return datasets, found


# A text cell starting with one of these is a formula to Excel, WPS and LibreOffice, which
# can fetch a page or run a command (OWASP, "CSV injection"); full-width forms included.
_FORMULA_START = tuple("=+-@\t\r＝＋－＠")


def _text_cell(text: str) -> str:
    """A label as a spreadsheet shows it and never runs it: a leading ' (OWASP)."""
    return "'" + text if text.startswith(_FORMULA_START) else text


def to_csv(dataset: Dataset, row_header: str, value_header: str) -> bytes:
    """UTF-8 with a byte-order mark (so spreadsheets show Vietnamese), comma-separated,
    numbers with a decimal point (machine-readable, the same as the JSON); labels that a
    spreadsheet would take for a formula start with ' (the JSON keeps them exact)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([_text_cell(row_header),
                     *(_text_cell(c or value_header) for c in dataset.columns)])
    for label, values in dataset.rows:
        writer.writerow([_text_cell(label), *(_plain(v) for v in values)])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def to_json(dataset: Dataset) -> bytes:
    document = {
        "id": dataset.id, "title": dataset.title, "unit": dataset.unit,
        "source": dataset.source, "as_of": dataset.as_of.isoformat(),
        "description": dataset.description, "kind": dataset.kind,
        "columns": [c for c in dataset.columns if c] or None,
        "rows": [{"label": label, "values": list(values)} for label, values in dataset.rows],
    }
    return (json.dumps(document, ensure_ascii=False, indent=1) + "\n").encode("utf-8")


def _plain(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else repr(value)
