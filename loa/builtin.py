"""Where Loa's own theme and words are: inside the package once it is installed
(`pip install` puts templates/ and i18n/ there, as loa/theme/ and loa/words/; see
pyproject.toml), beside it in a checkout of this repository, whose sample portal uses
them as its own."""
from __future__ import annotations

from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent


def _found(installed: str, checkout: str) -> Path:
    inside = _PACKAGE / installed
    return inside if inside.is_dir() else _PACKAGE.parent / checkout


THEME = _found("theme", "templates")  # templates, stylesheets and scripts
WORDS = _found("words", "i18n")  # the translations files
STARTER = _PACKAGE / "starter_site"  # the portal `init` starts ($province in its text)

# The theme's scripts published as files of their own (each the site's own
# templates/<name> when it has one, see render.theme_file): the service worker (at
# urls.SERVICE_WORKER), which pages register over http(s) so that a page read once online
# can be read again offline; the listen button's player, which an article fetches only
# once the phone offers a voice of its text's language; and the search page's script.
SERVICE_WORKER_SCRIPT = "assets/sw.js"
PLAYER_SCRIPT = "assets/listen.js"
SEARCH_SCRIPT = "assets/search.js"
