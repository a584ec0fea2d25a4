"""Every cache key and every route's fingerprint is the same in every process: a build
reads what an earlier process kept only if both name it alike. (A set's order, or
pickle's, changes from process to process: the Markdown cache once never hit, and a
second build re-made 111 pages that had not changed.)"""
import json
import os
import subprocess
import sys

from helpers import ROOT, SITES, TODAY

SCRIPT = f"""
import datetime as dt, json, sys
sys.path.insert(0, {str(ROOT)!r})
from pathlib import Path
from loa import config as config_stage, i18n, pipeline
from loa.cache import Cache
from loa.models import BuildOptions, Written

class Recording(pipeline.Nowhere):
    def __init__(self):
        self.fingerprints = {{}}
    def put(self, path, content, fingerprint="", info=None, gz=None):
        self.fingerprints[path] = fingerprint
        return Written(path, fingerprint, info)

config, _ = config_stage.load(Path({str(SITES / "minimal")!r}))
options = BuildOptions(today=dt.date.fromisoformat({TODAY!r}), cache_dir=None)
cache_keys = []
real_get = Cache.get
def get(self, name):
    cache_keys.append(name)
    return real_get(self, name)
Cache.get = get
sink = Recording()
result = pipeline.build(config, options, i18n.load(config.language, config.root), sink)
assert not [d for d in result.diagnostics if d.level == "error"], result.diagnostics
print(json.dumps({{"fingerprints": sink.fingerprints, "keys": sorted(set(cache_keys))}}))
"""


def run_with_seed(seed: str) -> dict:
    done = subprocess.run([sys.executable, "-c", SCRIPT], capture_output=True, text=True,
                          env={**os.environ, "PYTHONHASHSEED": seed}, check=True)
    return json.loads(done.stdout)


def test_keys_and_fingerprints_do_not_depend_on_the_process():
    first, second = run_with_seed("1"), run_with_seed("2")
    assert first["keys"] and sum(map(bool, first["fingerprints"].values())) > 20
    assert first["keys"] == second["keys"]
    differing = sorted(path for path, fingerprint in first["fingerprints"].items()
                       if second["fingerprints"].get(path) != fingerprint)
    assert not differing, f"fingerprints differ between processes: {differing[:5]}"
