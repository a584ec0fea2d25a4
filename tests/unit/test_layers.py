"""Imports flow one way: a module imports only from its own row or an earlier one."""
import ast
from pathlib import Path

ROWS = [
    {"errors", "models", "builtin"},
    {"config", "frontmatter", "text", "urls", "i18n", "cache", "parallel", "contact", "decap"},
    {"content", "markdown", "stats", "charts", "spoken", "leaflet", "svg"},
    {"pagination", "taxonomy", "feeds", "search", "context", "views", "languages", "editor"},
    {"render", "assets"},
    {"memory", "plan", "bodies", "routes", "pipeline"},
    {"output", "pack"},
    {"serve", "cli"},
]
PACKAGE = Path(__file__).resolve().parents[2] / "loa"
WRITERS = {"write_bytes", "write_text", "mkdir", "rmtree", "rename", "unlink", "mkstemp",
           "mkdtemp"}


def writes(call: ast.Call) -> str:
    """The name of a file-writing call: the builtin open(), os.replace(), Path writers."""
    func = call.func
    if isinstance(func, ast.Name) and func.id == "open":
        return "open"
    if isinstance(func, ast.Attribute):
        if func.attr in WRITERS:
            return func.attr
        if func.attr == "replace" and getattr(func.value, "id", "") == "os":
            return "os.replace"
    return ""


def row_of(name):
    return next(i for i, row in enumerate(ROWS) if name in row)


def imports(path):
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.level == 1:
            if node.module:
                yield node.module.split(".")[0]
            else:  # `from . import __version__` is the package itself, not a module
                yield from (a.name for a in node.names if not a.name.startswith("__"))


def test_every_module_has_a_row():
    modules = {p.stem for p in PACKAGE.glob("*.py")} - {"__init__"}
    assert modules == set().union(*ROWS)


def test_imports_flow_one_way():
    for path in PACKAGE.glob("*.py"):
        if path.stem == "__init__":
            continue
        for imported in imports(path):
            assert row_of(imported) <= row_of(path.stem), f"{path.stem} imports {imported}"


def test_only_output_writes_files():
    """Besides `output`, only the cache (its own folder) and `new` (one article) write."""
    for path in PACKAGE.glob("*.py"):
        if path.stem in ("output", "cache", "cli"):
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call):
                assert not writes(node), f"{path.stem} calls {writes(node)}() on line {node.lineno}"
