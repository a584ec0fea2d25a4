"""bench/corpus.py: the benchmark site generator is deterministic and makes a valid site."""
import re
import unicodedata
from pathlib import Path

import pytest

from helpers import TODAY, bench_corpus, run_cli

N = 30
LINK = re.compile(r"\]\((\.\./[^)#]+\.md)(?:#([^)]+))?\)")


corpus = bench_corpus()


def _tree(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes()
            for p in sorted(root.rglob("*")) if p.is_file()}


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("corpus") / "site"
    corpus.generate(N, out)
    return out


def test_same_n_gives_the_same_bytes(site, tmp_path):
    again = tmp_path / "again"
    corpus.generate(N, again)
    assert _tree(again) == _tree(site)


def test_articles_per_section(site):
    counts = {name: len(list((site / "content" / name).glob("bai-*.md")))
              for name in ("policies", "stories", "guides")}
    assert counts == corpus.section_counts(N) == {"policies": 9, "stories": 12, "guides": 9}
    for name in counts:
        assert (site / "content" / name / "_index.md").is_file()
    assert (site / "content" / "_index.md").is_file()
    assert (site / "site_config.yaml").is_file()
    assert list((site / "static" / "images").glob("*.svg"))
    assert len(list((site / "data").glob("*.yaml"))) >= 2


def test_cross_links_lead_to_generated_articles(site):
    for article in sorted((site / "content").glob("*/bai-*.md")):
        text = article.read_text(encoding="utf-8")
        assert unicodedata.is_normalized("NFC", text)
        links = LINK.findall(text)
        assert 2 <= len(links) <= 4, article
        for target, fragment in links:
            path = (article.parent / target).resolve()
            assert path.is_file(), f"{article.name}: {target}"
            assert path != article.resolve()
            if fragment:
                headings = re.findall(r"^#{2,3} (.+)$", path.read_text(encoding="utf-8"), re.M)
                assert fragment in {corpus.slugify(h) for h in headings}, f"{target}#{fragment}"


def test_guides_steps_match_their_headings(site):
    for guide in sorted((site / "content" / "guides").glob("bai-*.md")):
        text = guide.read_text(encoding="utf-8")
        steps = int(re.search(r"^steps: (\d+)$", text, re.M).group(1))
        assert steps == len(re.findall(r"^## Bước \d+: ", text, re.M)), guide.name


def test_a_non_empty_folder_is_refused_without_force(site):
    with pytest.raises(SystemExit):
        corpus.generate(N, site)


def test_loa_checks_the_site_without_errors(site):
    result = run_cli("check", "--source", site, "--today", TODAY)
    assert result.code == 0, result.out + result.err
