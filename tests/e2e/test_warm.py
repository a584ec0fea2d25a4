"""Builds that follow each other in one process, as `serve` makes them: the pages read,
the bodies rendered and the search index stay in memory between builds (a
`Memory`), and after every edit of the incremental journey the output equals
a cold build of the same input, byte for byte."""
from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path


from helpers import ROOT, TODAY, build, copy_site
from loa import config as config_stage
from loa import i18n, output, pipeline
from loa.memory import Memory
from loa.cache import FOLDER, Cache
from loa.models import BuildOptions
from test_incremental import SITE_PARTS, STEPS, differences, snapshot


def warm_build(site: Path, out: Path, memory: Memory) -> int:
    """One build in this process with `memory`, published into `out`; pages made again."""
    config, found = config_stage.load(site)
    assert config is not None, found
    options = BuildOptions(today=dt.date.fromisoformat(TODAY), cache_dir=site / FOLDER, jobs=2,
                           precompress=False)
    with output.Publisher(out, memory.reads.cache, precompress=False) as publisher:
        result = pipeline.build(config, options, i18n.load(config.language, config.root),
                                publisher, memory)
        errors = [d for d in result.diagnostics if d.level == "error"]
        assert not errors, errors
        publisher.commit(result.written, made_from=result.made_from)
    return len(result.rendered)


def without_copies(tree: dict) -> dict:
    return {path: entry for path, entry in tree.items() if not path.endswith((".gz", ".br"))}


def test_builds_in_one_process_equal_cold_builds_after_every_edit(tmp_path):
    site = tmp_path / "site"
    site.mkdir()
    for part in SITE_PARTS:
        source = ROOT / part
        (shutil.copytree if source.is_dir() else shutil.copy2)(source, site / part)
    memory = Memory.of(Cache(site / FOLDER))
    out = tmp_path / "public"
    warm_build(site, out, memory)
    assert warm_build(site, out, memory) == 0  # nothing changed, nothing made
    for number, step in enumerate(STEPS, 1):
        step.edit(site)
        warm_build(site, out, memory)
        cold = copy_site(site, tmp_path / f"cold-{number}" / "site")
        assert build(cold, cold.parent / "public").code == 0
        mismatches = differences(without_copies(snapshot(out)),
                                 without_copies(snapshot(cold.parent / "public")))
        assert not mismatches, f"step {number} ({step.name}): {mismatches[:5]}"
        shutil.rmtree(cold.parent)
