"""Where every page lives: URLs, output paths, relative links, link resolution.

This is the one place a page's URL is decided. A URL here is a *site path*
(`/guides/cai-dat-vneid/`); the output never contains one: every link is made
relative to the page it is on, so the same files work at a domain root, under a
sub-path and from a copied folder (file://).
"""
from __future__ import annotations

import difflib
import posixpath
import re
from dataclasses import dataclass
from typing import Iterable

from .errors import Diagnostic, problem
from .models import Config, Page
from .text import slug as make_slug

_EXTERNAL = re.compile(r"^(?:[a-zA-Z][a-zA-Z0-9+.-]*:|//)")
_UNSAFE_SLUG = re.compile(r"[/\\]|^\.|\.\.")


def check_slug(value: str) -> tuple[str, str]:
    """An editor's `slug` field -> (slug, problem key or "")."""
    if _UNSAFE_SLUG.search(value):
        return "", "slug_path"
    made = make_slug(value)
    return (made, "") if made else ("", "slug_empty")


def page_url(section: str, slug: str) -> str:
    return f"/{section}/{slug}/" if section else f"/{slug}/"


def translated_url(lang: str, url: str) -> str:
    """A page in another language lives under its code: `/guides/x/` -> `/km/guides/x/`."""
    return f"/{lang}{url}"


def section_url(section: str) -> str:
    return f"/{section}/"


IN_FORCE = "con-hieu-luc"  # a policy section's list of the policies in force
SEARCH = "/tim-kiem/"  # the search page; its script and index live in its folder
CONTACT = "/lien-he/"  # who runs the portal and how to reach them (with `contact` only)
SERVICE_WORKER = "/sw.js"  # at the root, so its scope is the whole site (see builtin)


def contact_url(lang: str = "") -> str:
    """The contact page in a language ("" for the site's own): each edition has one."""
    return translated_url(lang, CONTACT) if lang else CONTACT


def in_force_url(section: str) -> str:
    return f"/{section}/{IN_FORCE}/"


LEAFLET = "to-roi"  # an article's printable leaflet lives in this folder of its own
LEAFLETS = f"/{LEAFLET}/"  # the list of every leaflet
LEAFLET_TYPES = ("guide", "policy")  # section types whose articles have a leaflet


def has_leaflet(config: Config, page: Page) -> bool:
    """Guides and policies (articles of a section of those types) have a leaflet."""
    section = config.section(page.section) if page.kind == "article" else None
    return section is not None and section.type in LEAFLET_TYPES


def leaflet_url(url: str) -> str:
    """`/guides/cai-dat-vneid/` -> `/guides/cai-dat-vneid/to-roi/`: a folder inside the
    article's, so its links are the article's one level down."""
    return f"{url}{LEAFLET}/"


SCRIPT_PAGE = "loa"  # an article's loudspeaker script as a page, beside its loa.txt


def script_page_url(url: str) -> str:
    """`/guides/cai-dat-vneid/` -> `/guides/cai-dat-vneid/loa/`: the loudspeaker script
    as a page to read on a phone (a folder inside the article's, like its leaflet)."""
    return f"{url}{SCRIPT_PAGE}/"


def alias_url(alias: str) -> str:
    """An old address that must lead to a page: `tin-cu/x` -> `/tin-cu/x/`."""
    path = "/" + alias.strip().strip("/")
    last = path.rsplit("/", 1)[-1]
    return path if "." in last else path.rstrip("/") + "/"


def dataset_url(stats_path: str, dataset_id: str, download: str = "") -> str:
    """`poverty.rate` -> `/thong-ke/poverty-rate/`; its CSV: `…/poverty-rate/poverty-rate.csv`."""
    name = make_slug(dataset_id.replace(".", "-"))
    return f"/{stats_path}/{name}/" + (f"{name}.{download}" if download else "")


def output_path(url: str) -> str:
    """`/guides/x/` -> `guides/x/index.html`; `/404.html` -> `404.html`."""
    path = url.lstrip("/")
    return path + "index.html" if url.endswith("/") else path


def is_safe_output_path(path: str) -> bool:
    """True when `path` stays inside the output folder whatever the platform."""
    if not path or path.startswith(("/", "\\")) or "\\" in path or "\0" in path:
        return False
    parts = path.split("/")
    return all(part not in ("", ".", "..") for part in parts) and ":" not in parts[0]


def relative(from_url: str, to_url: str, index_html: bool) -> str:
    """A link from the page at `from_url` to `to_url` (which may carry a #fragment).

    Plain string work on site paths (os.path.relpath cost 1.6 s of a 1,000-article build)."""
    to_url, hash_, fragment = to_url.partition("#")
    if to_url == from_url and fragment:
        return hash_ + fragment
    here = from_url if from_url.endswith("/") else from_url.rpartition("/")[0] + "/"
    if to_url.endswith("/") and index_html:
        to_url += "index.html"
    folders = here.strip("/").split("/") if here != "/" else []
    *target, last = to_url.lstrip("/").split("/")
    shared = 0
    for mine, theirs in zip(folders, target):
        if mine != theirs:
            break
        shared += 1
    parts = [".."] * (len(folders) - shared) + target[shared:]
    if last:
        rel = "/".join(parts + [last])
    else:
        rel = "/".join(parts) + "/" if parts else "./"
    return rel + hash_ + fragment


def one_level_down(link: str) -> str:
    """A link made for the page at `/a/b/`, rewritten for the page at `/a/b/c/`: a
    relative link gains a `../`; a #fragment, a site-absolute or external link stays."""
    if not link or link.startswith(("#", "/")) or _EXTERNAL.match(link):
        return link
    return "../" + link


def collisions(pages: Iterable[tuple[str, str, int]]) -> list[Diagnostic]:
    """Two sources claiming one output file: (output path, source, line) in; diagnostics out."""
    first: dict[str, tuple[str, int]] = {}
    found = []
    for url, source, line in pages:
        if url in first:
            other = first[url][0]
            shown = "/" + url.removesuffix("index.html")
            found.append(problem(source, line, "url_collision", url=shown, other=other))
        else:
            first[url] = (source, line)
    return found


@dataclass(frozen=True)
class Target:
    """A resolved link: where it points, and the fragment to check there."""

    url: str  # site path of the page or file
    fragment: str = ""
    is_page: bool = True


@dataclass(frozen=True)
class LinkIndex:
    """What internal links may point at."""

    by_source: dict[str, str]  # content-relative source ("guides/x.md") -> page URL
    pages: frozenset[str]  # page URLs
    files: frozenset[str]  # site paths of copied files ("/images/x.svg")

    def resolve(self, target: str, source: str) -> tuple[Target | None, str]:
        """Resolve a link written in the file `source` (content-relative).

        Returns (target, "") when it points at something, (None, "") when it is
        external and must be left alone, or (None, problem key) when it points nowhere.
        """
        if _EXTERNAL.match(target):
            return None, ""
        path, _, fragment = target.partition("#")
        path = path.split("?", 1)[0]
        if not path:
            return Target(self.by_source.get(source, ""), fragment), ""
        if path.startswith("/"):
            joined = posixpath.normpath(path.lstrip("/"))
        else:
            joined = posixpath.normpath(posixpath.join(posixpath.dirname(source), path))
        if joined.startswith("..") or joined.startswith("/"):
            return None, "link_outside"
        if joined.endswith(".md"):
            url = self.by_source.get(joined)
            return (Target(url, fragment), "") if url else (None, "link_missing_source")
        site_path = "/" + ("" if joined == "." else joined)
        if site_path in self.files:
            return Target(site_path, fragment, is_page=False), ""
        if site_path in self.pages:  # a page whose address is a file name: /404.html
            return Target(site_path, fragment), ""
        page = site_path.removesuffix("index.html").rstrip("/") + "/"
        if page in self.pages:
            return Target(page, fragment), ""
        return None, "link_missing_page"

    def suggest(self, target: str, source: str) -> str:
        """For a link to an article that is not there, the link (as written from
        `source`) to the article whose file name is closest, or ""."""
        path, hash_, fragment = target.partition("#")
        folder = posixpath.dirname(source)
        joined = posixpath.normpath(posixpath.join(folder, path))
        close = difflib.get_close_matches(joined, self.by_source, n=1, cutoff=0.8)
        if not close:
            return ""
        return posixpath.relpath(close[0], folder or ".") + hash_ + fragment
