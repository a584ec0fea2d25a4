"""Site search: a sharded, diacritic-insensitive index the phone fetches piece by piece.

Nothing here writes: `build()` returns the files (bytes by output path) and the
pipeline writes them with the rest of the site.

Words. A text is decomposed (NFD) and lower-cased, then cut into words at separators
(`_SEPARATORS`: ASCII punctuation and spaces, Latin-1 symbols, general punctuation,
symbols, CJK and full-width punctuation, emoji); combining marks U+0300–U+036F stay
with their word, and a `.` or `,` between two ASCII digits stays inside a number
(`1.215`, `1,7`). A word's *token* is the word without those marks, `đ` -> `d`
(`Hỗ` -> `ho`); its *tone key* is the word without its tone mark, the tone as a digit
after it (`hòa`, `hoà` -> `hoa2`), so readers typing without diacritics find every
spelling, and those typing with them see the exact spelling first. The client
(templates/assets/search.js) repeats these rules character for character; a unit
test and a browser test feed both the same strings.

Index. Postings of every token, and of every pair of adjacent tokens (`ho tro`) in the
title, keywords, summary and the first BODY_PAIRS words of the body, go to
B buckets by FNV-1a (32 bit, over the token's UTF-8) modulo B; B is a power of two
chosen so that a bucket stays small. Bucket `<n>` maps a term to
`[doc id gaps, weights, tone keys, masks]` (a pair: `[doc id gaps]`):
- doc id gaps: ascending doc ids, each written as the difference from the previous;
- weights: (title 10, keywords 6, summary 3, body 1 per occurrence up to 5, summed)
  a list, one per doc, or one number when they are all equal;
- tone keys: every spelling of the token in the index;
- masks (only when there are several tone keys): per doc, bit i set when the doc
  has the i-th spelling.
Document `i` is row `i % CHUNK` of `m<i // CHUNK>`: `[url relative to the
search page, title, section title, date, summary]`, and for a policy not in force its
status (`expired`, `not_yet`), which the page's words name (data-expired, data-not_yet).

Files. Each file is a script, `loaSearch.put(<JSON>)` (`script_of`), that the client loads
with a <script> element: browsers block fetch() from file://, not scripts, so the same
files search from the offline pack and from a copied folder as online. The wrapper costs
15 bytes a file (about 10 gzip-compressed).
"""
from __future__ import annotations

import base64
import bisect
import functools
import hashlib
import json
import re
import unicodedata
from collections import Counter, defaultdict
from array import array
from dataclasses import dataclass, field
from typing import Callable, Protocol
from html import unescape as html_unescape
from pathlib import Path

from . import builtin, parallel
from .urls import output_path, relative

SCRIPT_SOURCE = builtin.THEME / builtin.SEARCH_SCRIPT  # Loa's own; a site may have its own

TONES = {"\u0301": "1", "\u0300": "2", "\u0309": "3", "\u0303": "4", "\u0323": "5"}
CHUNK = 5  # docs per metadata file: ten results cost at most ten small files
BUCKET_BYTES = 4_000  # aim of a bucket's size, uncompressed JSON (about 1 KB gzip)
MIN_BUCKETS = 16
MAX_TOKEN = 40  # longer "words" (addresses, codes) are not indexed
SUMMARY_CHARS = 200
WEIGHTS = {"title": 10, "keywords": 6, "summary": 3}
BODY_CAP = 5
# Pairs are a ranking signal (words typed together, found together), not a filter: those
# of the opening words of a body are kept, the rest are not. Every pair of a body made
# pairs two thirds of the postings, and with them the index's memory grew with every
# word written (over 1.5 GB at 100,000 articles).
BODY_PAIRS = 300


_SEPARATORS = (r"\x00-\x2f\x3a-\x40\x5b-\x60\x7b-\xbf\xd7\xf7\u2000-\u2bff\u3000-\u303f"
               r"\ufe00-\ufe6f\ufeff\uff00-\uff0f\uff1a-\uff20\uff3b-\uff40\uff5b-\uff65"
               r"\ufff0-\uffff\U0001f000-\U0001faff")
_MARKS = r"\u0300-\u036f"
# A word: a character that is neither a separator nor a mark, then characters that are not
# separators, and `.` or `,` between two digits.
_WORD = re.compile(f"[^{_SEPARATORS}{_MARKS}](?:[^{_SEPARATORS}]|(?<=[0-9])[.,](?=[0-9]))*")
_FOLD = {c: None for c in range(0x300, 0x370)} | {ord("đ"): "d"}


def words(text: str) -> list[str]:
    """The words of `text`, decomposed and lower-cased, marks kept: `Hỗ trợ` -> [`hỗ`, `trợ`] (NFD).

    A mark with no letter before it in its word is dropped."""
    return _WORD.findall(unicodedata.normalize("NFD", text).lower())


def _fold_word(word: str) -> str:
    return word.translate(_FOLD)


def fold(text: str) -> str:
    """Without diacritics, lower case: `Hỗ trợ ĐIỆN thoại` -> `ho tro dien thoai`."""
    return _fold_word(unicodedata.normalize("NFD", text).lower())


def tokens(text: str) -> list[str]:
    """The folded words: `Quyết định 90/QĐ-TTg` -> [quyet, dinh, 90, qd, ttg]."""
    return [_fold_word(w) for w in words(text)]


def tone_key(word: str) -> str:
    """A spelling without its tone mark, then the tone's digit: `hòa`, `hoà` -> `hoa2`.

    Tones: 1 acute (sắc), 2 grave (huyền), 3 hook (hỏi), 4 tilde (ngã), 5 dot (nặng);
    vowel marks (â ă ơ ư) and đ stay, so `hồ` and `hỗ` and `hộ` differ."""
    d = unicodedata.normalize("NFD", word).lower()
    base = "".join(ch for ch in d if ch not in TONES)
    return unicodedata.normalize("NFC", base) + "".join(sorted(TONES[ch] for ch in d if ch in TONES))


def fnv1a(text: str) -> int:
    """FNV-1a, 32 bit, over UTF-8: the bucket of a term is fnv1a(term) % buckets."""
    h = 0x811C9DC5
    for byte in text.encode("utf-8"):
        h = ((h ^ byte) * 0x01000193) & 0xFFFFFFFF
    return h


@dataclass(frozen=True)
class SearchDoc:
    url: str  # site path, "/guides/x/"
    title: str
    section: str  # the section's title
    date: str  # dd/mm/yyyy or ""
    summary: str
    text: str  # the body as plain text
    keywords: tuple[str, ...] = ()  # tags, locations, a policy's number


@dataclass(frozen=True)
class SearchIndex:
    """The search files as the site publishes them."""

    paths: tuple[str, ...]  # every file's output path: the index's, then the client
    script: str  # output path of the client
    settings: dict[str, str]  # data- attributes of the search form (relative to the page)
    index: Index
    script_bytes: bytes

    def file(self, path: str) -> bytes:
        return self.script_bytes if path == self.script else self.index.file(
            path.rpartition("/")[2])

    @property
    def files(self) -> dict[str, bytes]:
        """Every file, made (for tests and small sites)."""
        return {path: self.file(path) for path in self.paths}


_SKIPPED = re.compile(r"<(script|style|svg|template)\b.*?</\1\s*>", re.IGNORECASE | re.DOTALL)
_BLOCK = ("p|div|li|ul|ol|h[1-6]|br|tr|td|th|table|blockquote|pre|section|figure|figcaption"
          "|dt|dd|dl|hr|caption|aside|details|summary")
_TAG = re.compile(rf"<(/?)(?:({_BLOCK})|(img)|[a-z][a-z0-9]*)\b([^>]*)>|<!--.*?-->",
                  re.IGNORECASE | re.DOTALL)
_ALT = re.compile(r"""\balt\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))""", re.IGNORECASE)


def _tag_text(match: re.Match) -> str:
    if match.group(2):
        return "\n"
    if match.group(3) and not match.group(1):
        alt = _ALT.search(match.group(4) or "")
        return f" {alt.group(alt.lastindex)} " if alt and alt.group(alt.lastindex) else ""
    return ""


def plain_text(html: str) -> str:
    """A rendered body as text: tags out (scripts, styles and SVG with their content),
    blocks on their own lines, runs of spaces made one. Regular expressions, not a
    parser: the body is the sanitiser's output, well-formed, and html.parser cost
    1.5 ms a page."""
    text = html_unescape(_TAG.sub(_tag_text, _SKIPPED.sub("", html)))
    lines = (" ".join(line.split()) for line in text.split("\n"))
    return "\n".join(line for line in lines if line)


def summary_of(text: str) -> str:
    """The opening words of a text, as a result shows them when a page has no summary."""
    return _short(text)


def _short(text: str, limit: int = SUMMARY_CHARS) -> str:
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = text[:limit].rsplit(" ", 1)[0]
    return cut.rstrip(",.;:") + "…"


# Characters that must not reach a script as they are: U+2028/U+2029 end a line in the
# JavaScript of browsers before 2019 (a string with one was a syntax error), and `</` is
# written `<\/` so that the bytes stay inert even if ever inlined in a page. Both are
# inside JSON strings only, where their escapes mean the same characters.
_UNSAFE = re.compile(b"\xe2\x80[\xa8\xa9]|</")  # (U+2028, U+2029 in UTF-8)
_ESCAPES = {"\u2028".encode(): b"\\u2028", "\u2029".encode(): b"\\u2029", b"</": b"<\\/"}


def script_of(data: bytes) -> bytes:
    """A JSON text as the script the client loads: `loaSearch.put(<JSON>)`, valid
    JavaScript for any strings in it (JSON is JavaScript since ES2019; see _UNSAFE)."""
    return b"loaSearch.put(" + _UNSAFE.sub(lambda m: _ESCAPES[m.group()], data) + b")"


def _dumps(value: object) -> bytes:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"), sort_keys=True
                      ).encode("utf-8")


@functools.lru_cache(maxsize=1 << 17)  # words repeat across a site's articles
def _spelling(word: str) -> tuple[str, str] | None:
    """A word's (token, tone key); None when it is too long to index."""
    token = _fold_word(word)
    return (token, tone_key(word)) if len(token) <= MAX_TOKEN else None


@dataclass(frozen=True)
class Analysis:
    """What one document adds to the index (worked out in a worker, merged in order)."""

    weights: tuple[tuple[str, int], ...]  # (token, weight)
    spellings: tuple[tuple[str, tuple[str, ...]], ...]  # (token, its tone keys here)
    pairs: tuple[str, ...]  # adjacent tokens, "ho tro"


def analyse(doc: SearchDoc) -> Analysis:
    weights: dict[str, int] = {}
    spelt: defaultdict[str, set[str]] = defaultdict(set)
    adjacent: set[str] = set()
    for part, texts in (("title", [doc.title]), ("keywords", doc.keywords),
                         ("summary", [doc.summary]), ("body", [doc.text])):
        counts: Counter[str] = Counter()
        for text in texts:
            found = [known for known in map(_spelling, words(text)) if known]
            for token, key in found:
                spelt[token].add(key)
            folded = [token for token, _ in found]
            counts.update(folded)
            paired = folded if part != "body" else folded[:BODY_PAIRS]
            adjacent.update(map(" ".join, zip(paired, paired[1:])))
        fixed = WEIGHTS.get(part)
        for term, count in counts.items():
            weights[term] = weights.get(term, 0) + (fixed or min(count, BODY_CAP))
    return Analysis(tuple(weights.items()), tuple((t, tuple(sorted(k))) for t, k in spelt.items()),
                    tuple(sorted(adjacent)))


class Postings:
    """The index being built: documents are added in doc id order, each once.

    Doc ids and weights live in typed arrays (4 and 2 bytes an entry): a dict per
    posting held 1.9 GB for 10,000 articles."""

    def __init__(self) -> None:
        self.count = 0
        self.weights: dict[str, tuple[array, array]] = {}  # token -> (doc ids, weights)
        self.spellings: dict[str, dict[str, array]] = {}  # token -> tone key -> doc ids
        self.pairs: dict[str, array] = {}  # pair -> doc ids

    def add(self, analysis: Analysis) -> None:
        doc_id = self.count
        self.count += 1
        weights, spellings, pairs = self.weights, self.spellings, self.pairs
        for token, weight in analysis.weights:
            entry = weights.get(token)
            if entry is None:
                entry = weights[token] = (array("I"), array("H"))
            entry[0].append(doc_id)
            entry[1].append(min(weight, 0xFFFF))
        for token, keys in analysis.spellings:
            by_key = spellings.get(token)
            if by_key is None:
                by_key = spellings[token] = {}
            for key in keys:
                ids = by_key.get(key)
                if ids is None:
                    ids = by_key[key] = array("I")
                ids.append(doc_id)
        for pair in analysis.pairs:
            ids = pairs.get(pair)
            if ids is None:
                ids = pairs[pair] = array("I")
            ids.append(doc_id)


    def replace(self, doc_id: int, old: Analysis, new: Analysis) -> set[str]:
        """Document `doc_id` analysed anew; the terms whose postings this may change."""
        weights, spellings, pairs = self.weights, self.spellings, self.pairs
        for token, _ in old.weights:
            ids, values = weights[token]
            at = bisect.bisect_left(ids, doc_id)
            del ids[at], values[at]
            if not ids:
                del weights[token]
        for token, keys in old.spellings:
            for key in keys:
                _discard(spellings[token], key, doc_id)
            if not spellings[token]:
                del spellings[token]
        for pair in old.pairs:
            _discard(pairs, pair, doc_id)
        for token, weight in new.weights:
            ids, values = weights.setdefault(token, (array("I"), array("H")))
            at = bisect.bisect_left(ids, doc_id)
            ids.insert(at, doc_id)
            values.insert(at, min(weight, 0xFFFF))
        for token, keys in new.spellings:
            by_key = spellings.setdefault(token, {})
            for key in keys:
                ids = by_key.setdefault(key, array("I"))
                ids.insert(bisect.bisect_left(ids, doc_id), doc_id)
        for pair in new.pairs:
            ids = pairs.setdefault(pair, array("I"))
            ids.insert(bisect.bisect_left(ids, doc_id), doc_id)
        # the terms whose entries change: where this document's weight or spellings differ
        old_weights, new_weights = dict(old.weights), dict(new.weights)
        old_spelt, new_spelt = dict(old.spellings), dict(new.spellings)
        return ({t for t in old_weights.keys() | new_weights.keys()
                 if old_weights.get(t) != new_weights.get(t) or old_spelt.get(t) != new_spelt.get(t)}
                | (set(old.pairs) ^ set(new.pairs)))


def _discard(lists: dict[str, array], name: str, doc_id: int) -> None:
    ids = lists[name]
    del ids[bisect.bisect_left(ids, doc_id)]
    if not ids:
        del lists[name]


def _gaps(ids: list[int]) -> list[int]:
    return [b - a for a, b in zip([0, *ids], ids)]


def _entry(ids: array, values: array, spelt: dict[str, array]) -> list:
    entry: list = [_gaps(ids), values[0] if min(values) == max(values) else list(values)]
    keys = sorted(spelt)[:30]
    entry.append(keys)
    if len(keys) > 1:
        masks = dict.fromkeys(ids, 0)
        for bit, key in enumerate(keys):
            for doc_id in spelt[key]:
                masks[doc_id] |= 1 << bit
        entry.append([masks[i] for i in ids])
    return entry


def _next_power_of_two(n: int) -> int:
    return 1 << max(0, (n - 1).bit_length())


def client_script(source: str) -> str:
    """The client as sent: indentation, blank lines and whole-line `//` comments out."""
    lines = (line.strip() for line in source.splitlines())
    return "\n".join(line for line in lines if line and not line.startswith("//")) + "\n"


def row(doc: SearchDoc, page_url: str, index_html: bool) -> list[str]:
    """A document as a result shows it: link, title, section, date, summary."""
    return [relative(page_url, doc.url, index_html), doc.title, doc.section, doc.date,
            _short(doc.summary or doc.text)]


ENCODE_CHUNK = 250  # terms a worker encodes at a time (parallel.MIN_PARALLEL chunks: 50,000)
NAME_CHARS = 6  # of a file's content hash in its name: 36 bits, base64url
FOLDER = "i/"  # the index's files, beside the search page


def _name(data: bytes) -> str:
    return base64.urlsafe_b64encode(hashlib.sha256(data).digest())[:NAME_CHARS].decode()


class ShardStore(Protocol):
    """Where an index keeps the postings of each shard between builds."""

    def get(self, number: int) -> Postings | None: ...

    def put(self, number: int, postings: Postings) -> None: ...


class InMemory:
    """Shards kept in this process only."""

    def __init__(self) -> None:
        self.shards: dict[int, Postings] = {}

    def get(self, number: int) -> Postings | None:
        return self.shards.get(number)

    def put(self, number: int, postings: Postings) -> None:
        self.shards[number] = postings


def _split(analysis: Analysis, bucket: Callable[[str], int]) -> dict[int, Analysis]:
    """One document's Analysis, cut by the shard each term goes to."""
    weights: defaultdict[int, list] = defaultdict(list)
    spellings: defaultdict[int, list] = defaultdict(list)
    pairs: defaultdict[int, list] = defaultdict(list)
    for token, weight in analysis.weights:
        weights[bucket(token)].append((token, weight))
    for token, keys in analysis.spellings:
        spellings[bucket(token)].append((token, keys))
    for pair in analysis.pairs:
        pairs[bucket(pair)].append(pair)
    return {n: Analysis(tuple(weights[n]), tuple(spellings[n]), tuple(pairs[n]))
            for n in weights.keys() | spellings.keys() | pairs.keys()}


def _term_entry(postings: Postings, term: str) -> bytes:
    """A term as its shard writes it (json.dumps(..., sort_keys=True) of the shard)."""
    weighted = postings.weights.get(term)
    value = (_entry(weighted[0], weighted[1], postings.spellings[term]) if weighted
             else [_gaps(postings.pairs[term])])
    return _dumps(term) + b":" + _dumps(value)


def _shard_bytes(postings: Postings) -> bytes:
    terms = sorted([*postings.weights, *postings.pairs])  # a pair has a space: no token
    return b"{" + b",".join(_term_entry(postings, t) for t in terms) + b"}"


@dataclass
class Index:
    """The index as builds keep it: what it was made from, and the hash each of its files
    is named by. Files are named by their content, so an edit rewrites only the shards
    whose postings changed; a manifest, itself named by its content, lists them for the
    client. The postings are kept shard by shard (`store`): an edit reads and writes
    only the shards it touches."""

    urls: tuple[str, ...]  # the documents, in doc id order (by URL)
    keys: tuple[str, ...]  # what each one's Analysis was made from (a cache key)
    rows: list[list[str]]  # each one as a result shows it
    buckets: int = 0
    names: dict[str, str] = field(default_factory=dict)  # "3", "m0" -> hash of its bytes
    sizes: list[int] = field(default_factory=list)  # each shard's bytes (their count
    # decides `buckets`)
    store: ShardStore = field(default_factory=InMemory, compare=False, repr=False)
    made: dict[str, bytes] = field(default_factory=dict, compare=False, repr=False)

    def __getstate__(self) -> dict:  # (the shards are kept by the store; bytes made in
        return {**self.__dict__, "store": None, "made": {}}  # this build are not kept)

    # --- files ---

    def _postings(self, number: int) -> Postings:
        found = self.store.get(number) if self.store is not None else None
        if found is None:
            raise KeyError(number)  # (the store was emptied: the index is made anew)
        return found

    def _chunk(self, number: int) -> bytes:
        return _dumps(self.rows[number * CHUNK:(number + 1) * CHUNK])

    def _manifest(self) -> bytes:
        def hashes(prefix: str, count: int) -> str:
            return "".join(self.names[f"{prefix}{n}"] for n in range(count))
        return _dumps({"b": hashes("", self.buckets),
                       "m": hashes("m", -(-len(self.rows) // CHUNK))})

    def file(self, name: str) -> bytes:
        """The bytes of an index file (`3.AbC_12.js`), made again when not at hand."""
        if name not in self.made:
            stem = name.split(".")[0]
            if stem == "manifest":
                data = self._manifest()
            elif stem.startswith("m"):
                data = self._chunk(int(stem[1:]))
            else:
                data = _shard_bytes(self._postings(int(stem)))
            self.made[name] = script_of(data)
        return self.made[name]

    @property
    def manifest(self) -> str:
        return f"manifest.{_name(script_of(self._manifest()))}.js"

    def files(self) -> list[str]:
        """Every file of the index, by name, the manifest last."""
        return ([f"{stem}.{self.names[stem]}.js" for stem in sorted(self.names)]
                + [self.manifest])

    def _keep(self, stem: str, data: bytes) -> None:
        published = script_of(data)
        self.names[stem] = _name(published)
        self.made[f"{stem}.{self.names[stem]}.js"] = published

    # --- making and updating ---

    def _make_all(self, postings: Postings, jobs: int) -> None:
        terms = [*postings.weights, *postings.pairs]  # a pair has a space: never a token

        def encode_chunk(i: int) -> list[tuple[str, bytes, int]]:
            return [(term, _term_entry(postings, term), fnv1a(term))
                    for term in terms[i * ENCODE_CHUNK:(i + 1) * ENCODE_CHUNK]]

        encoded: dict[str, bytes] = {}
        hashes: dict[str, int] = {}
        for chunk in parallel.run(encode_chunk, -(-len(terms) // ENCODE_CHUNK), jobs):
            for term, data, hashed in chunk:
                encoded[term], hashes[term] = data, hashed
        self.buckets = _buckets(sum(len(data) + 1 for data in encoded.values()))
        members: list[list[str]] = [[] for _ in range(self.buckets)]
        shards = [Postings() for _ in range(self.buckets)]
        for term in sorted(encoded):
            number = hashes[term] % self.buckets
            members[number].append(term)
            shard = shards[number]
            if term in postings.weights:
                shard.weights[term] = postings.weights[term]
                shard.spellings[term] = postings.spellings[term]
            else:
                shard.pairs[term] = postings.pairs[term]
        self.made, self.names, self.sizes = {}, {}, []
        for number, terms_of in enumerate(members):
            data = b"{" + b",".join(encoded[t] for t in terms_of) + b"}"
            self._keep(str(number), data)
            self.sizes.append(len(data))
            self.store.put(number, shards[number])
        for number in range(-(-len(self.rows) // CHUNK)):
            self._keep(f"m{number}", self._chunk(number))

    def _update(self, changed: list[tuple[int, Analysis, Analysis]], rows: list[list[str]]
                ) -> bool:
        """The same documents with some analyses and rows changed: only the shards and
        chunks they touch are read and made again. False when the count of shards would
        change (the index is then made anew)."""
        buckets = self.buckets

        @functools.lru_cache(maxsize=None)
        def bucket(term: str) -> int:
            return fnv1a(term) % buckets

        self.made = {}
        touched: dict[int, Postings] = {}
        for doc_id, old, new in changed:
            old_parts, new_parts = _split(old, bucket), _split(new, bucket)
            empty = Analysis((), (), ())
            for number in old_parts.keys() | new_parts.keys():
                postings = touched.get(number) or self._postings(number)
                if postings.replace(doc_id, old_parts.get(number, empty),
                                    new_parts.get(number, empty)):
                    touched[number] = postings
        for number, postings in touched.items():
            data = _shard_bytes(postings)
            self.sizes[number] = len(data)
            self._keep(str(number), data)
        if _buckets(sum(self.sizes)) != self.buckets:
            return False
        for number, postings in touched.items():
            self.store.put(number, postings)
        chunks = {i // CHUNK for i, (a, b) in enumerate(zip(self.rows, rows)) if a != b}
        self.rows = rows
        for number in chunks:
            self._keep(f"m{number}", self._chunk(number))
        return True


def _buckets(total: int) -> int:
    return max(MIN_BUCKETS, _next_power_of_two(-(-total // BUCKET_BYTES)))


def index(docs: list[tuple[str, str, list[str]]], analysis: Callable[[str], Analysis],
          previous: Index | None = None, jobs: int = 1, store: ShardStore | None = None
          ) -> Index:
    """The index of `docs`, each (URL, the key of its Analysis, its row), in URL order:
    `previous` updated where only some documents changed, else made anew (terms encoded
    in worker processes on a large site). `store` keeps the shards' postings."""
    urls = tuple(url for url, _, _ in docs)
    keys = tuple(key for _, key, _ in docs)
    rows = [found for _, _, found in docs]
    store = store if store is not None else (previous.store if previous else InMemory())
    if previous is not None and previous.urls == urls and len(previous.keys) == len(keys):
        previous.store, previous.made = store, {}
        if previous.keys == keys and previous.rows == rows:
            return previous
        changed = [(i, analysis(old), analysis(new))
                   for i, (old, new) in enumerate(zip(previous.keys, keys)) if old != new]
        previous.keys = ()  # updated in place: half updated, it must never match again
        if previous._update(changed, rows):
            previous.keys = keys
            return previous
    postings = Postings()
    for key in keys:
        postings.add(analysis(key))
    made = Index(urls, keys, rows, store=store)
    made._make_all(postings, jobs)
    return made


def published(made: Index, page_url: str = "/tim-kiem/",
              script_source: str | None = None) -> SearchIndex:
    """The index as the site publishes it, under the folder of the search page."""
    folder = output_path(page_url).rpartition("/")[0]
    folder = folder + "/" if folder else ""
    if script_source is None:
        script_source = SCRIPT_SOURCE.read_text(encoding="utf-8")
    script = client_script(script_source).encode("utf-8")
    script_path = f"{folder}loa-search.{hashlib.sha256(script).hexdigest()[:10]}.js"
    names = made.files()
    settings = {"index": FOLDER, "manifest": names[-1], "buckets": str(made.buckets),
                "docs": str(len(made.rows)), "chunk": str(CHUNK)}
    return SearchIndex(paths=tuple([*(f"{folder}{FOLDER}{n}" for n in names), script_path]),
                       script=script_path, settings=settings, index=made,
                       script_bytes=script)


def build(docs: list[SearchDoc], page_url: str = "/tim-kiem/", index_html: bool = True,
          script_source: str | None = None) -> SearchIndex:
    """The search files for `docs`, under the folder of the search page at `page_url`."""
    docs = sorted(docs, key=lambda d: d.url)
    analyses = {doc.url: analyse(doc) for doc in docs}
    made = index([(doc.url, doc.url, row(doc, page_url, index_html)) for doc in docs],
                 analyses.__getitem__)
    return published(made, page_url, script_source)
