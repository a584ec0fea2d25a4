"""Hugo side by side with Loa on the same synthetic corpus (issue 7).

    python bench/hugo.py [--n 1000 10000] [--out bench/out] [--loa DIR]

For each N the site of bench/corpus.py (OUT/n<N>/site, made or reused exactly as
bench/run.py does) is converted into a Hugo site, OUT/n<N>/hugo-site: the same Markdown
bodies and front matter, the same section folders, the minimal configuration and
layouts of bench/hugo/ and Loa's own style.css inlined in every page. Then Hugo (Debian's
`hugo` package) and Loa each build it twice in their own process, cold and then again
with nothing changed, and one Markdown table shows them side by side. `--loa DIR` runs
the build.py of another Loa checkout (e.g. `git archive` of one commit, when others are
editing this one) on the same corpus. See the section
"Against Hugo" of bench/README.md for what is and is not comparable.

Do not run it at the same time as bench/run.py on the same --out: both build OUT/n<N>/site.
"""
from __future__ import annotations

import argparse
import dataclasses
import posixpath
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

import yaml

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))

import common  # noqa: E402  (bench/common.py: the corpus, the machine, timing a process)

HUGO_FILES = HERE / "hugo"  # hugo.toml and layouts/
STYLE = ROOT / "templates" / "style.css"
INSTALL = ("Install Debian's package (0.111.x, the version bench/README.md was measured with):\n"
           "    sudo apt-get update && sudo apt-get install -y hugo")

# [text](../guides/bai-00001.md#buoc-1) -> the .md target and its optional #anchor
LINK = re.compile(r"\]\(([^()\s]+?\.md)(#[^()\s]*)?\)")
# {{ stat giam_ngheo.ty_le }}, {{ stat ha_tang.dien_thoai "Hồng Dân" }}, {{ chart x.y }}
FIGURE = re.compile(r'\{\{\s*(stat|chart)\s+([\w.-]+)(?:\s+"([^"]*)")?\s*\}\}')
LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
DUMPER = getattr(yaml, "CSafeDumper", yaml.SafeDumper)


# --------------------------------------------------------------------------- Hugo

def find_hugo() -> tuple[str, str] | None:
    """The hugo executable and its version line, or None when `hugo` is not on PATH."""
    path = shutil.which("hugo")
    if path is None:
        return None
    said = subprocess.run([path, "version"], capture_output=True, text=True, check=False)
    return path, said.stdout.strip() or said.stderr.strip()


# --------------------------------------------------------------------------- conversion

def load_datasets(data: Path) -> dict[str, dict]:
    """Every dataset of the Loa site's data/*.yaml, by its id `<file>.<key>`."""
    datasets: dict[str, dict] = {}
    for path in sorted(data.glob("*.yaml")):
        for key, dataset in (yaml.load(path.read_text(encoding="utf-8"), Loader=LOADER) or {}).items():
            datasets[f"{path.stem}.{key}"] = dataset
    return datasets


def vietnamese_number(value: float, unit: str | None) -> str:
    """4320 -> 4.320, 1.7 -> 1,7%: as Loa prints a figure."""
    text = f"{value:,}".replace(",", " ").replace(".", ",").replace(" ", ".")
    return text + "%" if unit == "percent" else text


def figure_text(datasets: dict[str, dict], match: re.Match) -> str:
    """Plain text for one of Loa's figure shortcodes (Hugo does not know them)."""
    kind, name, row = match.groups()
    dataset = datasets.get(name)
    if dataset is None:
        raise SystemExit(f"bench/hugo.py: the corpus uses dataset '{name}', which data/ lacks")
    if kind == "chart":
        return f"(Biểu đồ: {dataset.get('title', name)}.)"
    if row is not None:
        value = dataset.get("by", {}).get(row)
    elif "value" in dataset:
        value = dataset["value"]
    else:
        series = dataset.get("series") or {}
        value = series[max(series)] if series else None
    if not isinstance(value, (int, float)):
        return str(dataset.get("title", name))
    return vietnamese_number(value, dataset.get("unit"))


def relref_links(body: str, page: str) -> str:
    """Loa's links to .md files become Hugo relref shortcodes, from content/'s root."""
    folder = posixpath.dirname(page)

    def replace(match: re.Match) -> str:
        target, anchor = match.group(1), match.group(2) or ""
        path = target if target.startswith("/") else "/" + posixpath.normpath(
            posixpath.join(folder, target))
        return f']({{{{< relref "{path}{anchor}" >}}}})'
    return LINK.sub(replace, body)


def hugo_page(text: str, page: str, datasets: dict[str, dict]) -> str:
    """One Loa Markdown file as Hugo's: YAML front matter with `updated` as `lastmod`
    (every other field, Loa's own included, is kept: Hugo passes it on as .Params),
    figures as text, links as relref."""
    meta, body = {}, text
    if text.startswith("---\n"):
        head, _, body = text[4:].partition("\n---\n")
        meta = yaml.load(head, Loader=LOADER) or {}
    if "updated" in meta:
        meta["lastmod"] = meta.pop("updated")
    body = FIGURE.sub(lambda m: figure_text(datasets, m), body)
    head = yaml.dump(meta, Dumper=DUMPER, allow_unicode=True, sort_keys=False)
    return f"---\n{head}---\n{relref_links(body, page)}"


def convert(site: Path, target: Path) -> int:
    """Writes the Hugo copy of a Loa site into `target` (replaced); returns its page count."""
    shutil.rmtree(target, ignore_errors=True)
    shutil.copytree(HUGO_FILES, target)
    (target / "assets").mkdir()
    shutil.copyfile(STYLE, target / "assets" / "style.css")
    if (site / "static").is_dir():
        shutil.copytree(site / "static", target / "static")
    datasets = load_datasets(site / "data")
    content = site / "content"
    count = 0
    for source in sorted(content.rglob("*.md")):
        page = source.relative_to(content).as_posix()
        destination = target / "content" / page
        destination.parent.mkdir(parents=True, exist_ok=True)
        destination.write_text(hugo_page(source.read_text(encoding="utf-8"), page, datasets),
                               encoding="utf-8")
        count += 1
    return count


def converted(site: Path, target: Path) -> str:
    """Converts the site (see convert) and says what it did, for the report."""
    started = time.perf_counter()
    pages = convert(site, target)
    return (f"{pages} Markdown files converted to {target} in "
            f"{time.perf_counter() - started:.1f} s")


# --------------------------------------------------------------------------- timing

@dataclasses.dataclass
class Run:
    tool: str
    step: str
    wall: float    # seconds, from spawning the process to reaping it
    cpu: float     # user + system seconds of the process and of the children it waited for
    maxrss: int    # bytes: ru_maxrss from os.wait4, the largest single process
    pages: int     # .html files in the output folder
    redirects: int  # of which redirect stubs (meta refresh): Hugo makes one at page/1/ of each list


def count_pages(output: Path) -> tuple[int, int]:
    """The .html files of a build's output, and how many of them are redirect stubs."""
    pages = redirects = 0
    for path in output.rglob("*.html"):
        pages += 1
        with path.open("rb") as file:
            redirects += b'http-equiv="refresh"' in file.read(1024)
    return pages, redirects


def timed(tool: str, step: str, command: list[str], output: Path, cwd: Path = ROOT) -> Run:
    finished = common.run_timed(command, cwd)
    if finished.returncode != 0:
        raise SystemExit(finished.failure(f"bench/hugo.py: {tool} {step}"))
    print(f"  … {tool} {step}: {finished.wall:.2f} s", file=sys.stderr, flush=True)
    return Run(tool, step, finished.wall, finished.cpu, finished.maxrss, *count_pages(output))


def hugo_command(hugo: str, site: Path, public: Path) -> list[str]:
    return [hugo, "--quiet", "-s", str(site), "-d", str(public)]


def hugo_cold(hugo: str, site: Path, public: Path) -> Run:
    """One build with the output and resources/ deleted first."""
    shutil.rmtree(public, ignore_errors=True)
    shutil.rmtree(site / "resources", ignore_errors=True)
    return timed("Hugo", "cold", hugo_command(hugo, site, public), public)


def hugo_runs(hugo: str, site: Path, public: Path) -> list[Run]:
    """Cold, then the same again: Hugo keeps no render cache."""
    cold = hugo_cold(hugo, site, public)
    return [cold, timed("Hugo", "warm", hugo_command(hugo, site, public), public)]


def loa_runs(loa: Path, site: Path, public: Path) -> list[Run]:
    """Cold (.loa-cache/ and output deleted), then again with nothing changed."""
    command = [sys.executable, str(loa / "build.py"), "build", "--source", str(site),
               "--out", str(public), "--today", common.TODAY]
    shutil.rmtree(site / ".loa-cache", ignore_errors=True)
    shutil.rmtree(public, ignore_errors=True)
    return [timed("Loa", "cold", command, public, loa), timed("Loa", "warm", command, public, loa)]


# --------------------------------------------------------------------------- the table

HEADER = ("| N | step | Hugo wall s | Loa wall s | Loa/Hugo | Hugo CPU s | Loa CPU s | Loa/Hugo "
          "| Hugo peak MiB | Loa peak MiB | Loa/Hugo | Hugo pages | Loa pages |")


def row(n: int, hugo: Run, loa: Run) -> str:
    def ratio(a: float, b: float) -> str:
        return f"{a / b:.1f}×" if b else "–"
    mib = 2 ** 20
    return (f"| {n} | {hugo.step} | {hugo.wall:.2f} | {loa.wall:.2f} | {ratio(loa.wall, hugo.wall)} "
            f"| {hugo.cpu:.2f} | {loa.cpu:.2f} | {ratio(loa.cpu, hugo.cpu)} "
            f"| {hugo.maxrss / mib:.0f} | {loa.maxrss / mib:.0f} | {ratio(loa.maxrss, hugo.maxrss)} "
            f"| {pages(hugo)} | {pages(loa)} |")


def pages(result: Run) -> str:
    return f"{result.pages} ({result.redirects} redirects)" if result.redirects else str(result.pages)


def table(rows: list[str]) -> None:
    print()
    print(HEADER)
    print("|" + "---|" * HEADER.count(" | ") + "---|")
    for line in rows:
        print(line)
    print(f"\n{common.load_average()} now")


# --------------------------------------------------------------------------- one N

def bench(n: int, base: Path, hugo: str, loa: Path) -> list[str]:
    folder = base / f"n{n}"
    site = folder / "site"
    folder.mkdir(parents=True, exist_ok=True)
    spent = common.ensure_corpus(n, site)
    common.tidy(site)  # what an interrupted bench/run.py may have left in the corpus
    print(f"\nN = {n}: Loa site {site} "
          + (f"(generated in {spent:.1f} s)" if spent is not None else "(reused)")
          + "; " + converted(site, folder / "hugo-site"), flush=True)
    code = common.code_fingerprint()
    hugo_side = hugo_runs(hugo, folder / "hugo-site", folder / "hugo-public")
    loa_side = loa_runs(loa, site, folder / "loa-public")
    if loa == ROOT and common.code_fingerprint() != code:
        print(f"note: Loa's code changed while N = {n} was measured; its two builds may not "
              f"have run the same code", flush=True)
    return [row(n, h, l) for h, l in zip(hugo_side, loa_side)]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    common.size_arguments(parser)
    parser.add_argument("--loa", type=Path, default=ROOT,
                        help="the Loa checkout whose build.py builds the corpus (default: this one)")
    args = parser.parse_args(argv)
    common.check_sizes(parser, args)
    loa = args.loa.resolve()
    if not (loa / "build.py").is_file():
        parser.error(f"--loa {args.loa}: no build.py there")
    found = find_hugo()
    if found is None:
        raise SystemExit(f"bench/hugo.py needs Hugo, and `hugo` is not on PATH.\n{INSTALL}\n"
                         f"then run this script again.")
    hugo, version = found
    common.exit_cleanly_on_sigterm()
    print(common.machine())
    if loa != ROOT:
        print(f"(the Loa commit above is this checkout's; the Loa measured is {loa})")
    print(version)
    print(f"Hugo: {hugo} --quiet -s SITE -d OUT; "
          f"Loa: python {loa / 'build.py'} build --source SITE --out OUT --today {common.TODAY}")
    rows: list[str] = []
    for n in args.n:
        rows += bench(n, args.out.resolve(), hugo, loa)
    table(rows)
    return 0


if __name__ == "__main__":
    sys.exit(main())
