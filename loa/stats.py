"""Statistics: `data/*.yaml` read into checked `Dataset`s.

Each file holds one or more datasets keyed by an id; a dataset is known to the
site as `<file stem>.<id>` (`poverty.rate`). A dataset has a `title`, a `unit`,
a `source`, an `as_of` date, an optional `description`, and exactly one of
`value` (one figure), `series` (by year) or `by` (by category).
"""
from __future__ import annotations

import difflib
from pathlib import Path
from typing import Any

from .errors import Diagnostic, problem
from .frontmatter import YamlDoc, read_yaml
from .models import Dataset
from .text import decode, nfc, parse_date

DATA = "data"
UNITS = ("percent", "households", "people", "sites", "hamlets", "communes", "subscribers",
         "teams", "number")
FIELDS = ("title", "unit", "source", "as_of", "description", "value", "series", "by")
SHAPES = ("value", "series", "by")


def _number(value: Any) -> float | None:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    return value


def _dataset(doc: YamlDoc, path: str, key: str, spec: Any) -> tuple[Dataset | None,
                                                                     list[Diagnostic]]:
    line = doc.line(key, default=1)
    if not isinstance(spec, dict):
        return None, [problem(path, line, "data_not_mapping", dataset=key)]
    found: list[Diagnostic] = []
    for field in spec:
        if field not in FIELDS:
            close = difflib.get_close_matches(str(field), FIELDS, n=1, cutoff=0.6)
            found.append(problem(path, doc.line(key, field), "data_unknown_field", field=field,
                                 suggestion=close[0] if close else "title",
                                 known=", ".join(FIELDS)))
    for field in ("title", "unit", "source", "as_of"):
        if spec.get(field) in (None, ""):
            found.append(problem(path, line, "data_missing", field=field, dataset=key))
    unit = spec.get("unit")
    if unit not in (None, "") and unit not in UNITS:
        found.append(problem(path, doc.line(key, "unit"), "data_unit", value=unit,
                             known=", ".join(UNITS)))
    as_of = parse_date(spec["as_of"]) if spec.get("as_of") not in (None, "") else None
    if spec.get("as_of") not in (None, "") and as_of is None:
        found.append(problem(path, doc.line(key, "as_of"), "field_date", field="as_of",
                             value=spec["as_of"], suggestion="YYYY-MM-DD"))
    shapes = [s for s in SHAPES if s in spec]
    if len(shapes) != 1:
        found.append(problem(path, line, "data_shape", dataset=key))
        return None, found
    shape = shapes[0]
    raw = spec[shape]
    if shape == "value":
        raw = {"": raw}
    if not isinstance(raw, dict) or not raw:
        found.append(problem(path, doc.line(key, shape), "data_points", dataset=key,
                             shape=shape))
        return None, found
    points = []
    for label, value in raw.items():
        number = _number(value)
        where = doc.line(key, shape, label) if shape != "value" else doc.line(key, "value")
        if number is None:
            found.append(problem(path, where, "data_not_number", value=value, dataset=key))
        elif unit == "percent" and not 0 <= number <= 100:
            found.append(problem(path, where, "data_percent", value=value, dataset=key))
        else:
            points.append((nfc(str(label)), number))
    if found:
        return None, found
    if shape == "series":
        points.sort(key=lambda p: p[0])
    return Dataset(id=f"{Path(path).stem}.{key}", path=path, line=line,
                   title=nfc(str(spec["title"])), unit=unit, source=nfc(str(spec["source"])),
                   as_of=as_of, points=tuple(points), kind=shape,
                   description=nfc(str(spec.get("description") or ""))), []


def load(root: Path) -> tuple[dict[str, Dataset], list[Diagnostic]]:
    """Every dataset of `<root>/data/`, by id."""
    datasets: dict[str, Dataset] = {}
    found: list[Diagnostic] = []
    folder = root / DATA
    files = sorted(folder.glob("*.yaml")) + sorted(folder.glob("*.yml")) if folder.is_dir() else []
    for file in files:
        path = nfc(file.relative_to(root).as_posix())
        text, problems = decode(file.read_bytes(), path)
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
