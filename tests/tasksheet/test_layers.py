"""The house's layers: no import runs from a lower layer to a higher one, and no cycle.

schemas (the template and the record) → extract (pixel detectors and OCR engines, no form
knowledge) → ingest (pages upright, classified, ordered) → readers (the template's sections
read from pages) → checks (the template's rules) → registry → reports → review (the web
application over the registry) → tasksheet (pipeline,
batch, CLI, benchmark) and samplegen (the test-scan generator). Imports inside functions
count too.
"""

import ast
from pathlib import Path

from conftest import ROOT

LAYERS = ["schemas", "extract", "ingest", "readers", "checks", "registry", "reports", "review",
          "samplegen", "tasksheet"]


def _modules() -> dict[str, Path]:
    out = {}
    for pkg in LAYERS:
        for path in (ROOT / pkg).glob("*.py"):
            name = pkg if path.stem == "__init__" else f"{pkg}.{path.stem}"
            out[name] = path
    return out


def _imports(path: Path) -> set[str]:
    """Project modules imported by `path`, as `pkg` or `pkg.module` (the tasksheet. root off)."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        names = []
        if isinstance(node, ast.ImportFrom) and node.module:
            names = [node.module] + [f"{node.module}.{a.name}" for a in node.names]
        elif isinstance(node, ast.Import):
            names = [a.name for a in node.names]
        for n in names:
            if n.startswith("tasksheet."):
                found.add(n.removeprefix("tasksheet."))
            elif n == "tasksheet":
                found.add("tasksheet")
    return found


def _package(module: str) -> str:
    head = module.split(".")[0]
    return head if head in LAYERS else "tasksheet"


def test_no_import_from_a_lower_layer_to_a_higher_one() -> None:
    rank = {pkg: i for i, pkg in enumerate(LAYERS)}
    rank["samplegen"] = rank["tasksheet"]  # beside the orchestration, not under it
    wrong = []
    for name, path in _modules().items():
        for target in _imports(path):
            if rank[_package(target)] > rank[_package(name)]:
                wrong.append(f"{name} imports {target}")
    assert wrong == []


def test_no_import_cycle_between_modules() -> None:
    modules = _modules()
    graph = {name: {t for t in _imports(path) if t in modules and t != name}
             for name, path in modules.items()}
    # a package's __init__ re-exporting its own modules is not a cycle of the house
    for name in graph:
        if "." not in name:
            graph[name] = {t for t in graph[name] if not t.startswith(f"{name}.")}
    state: dict[str, int] = {}
    cycle: list[str] = []

    def visit(n: str, stack: list[str]) -> bool:
        state[n] = 1
        for m in graph[n]:
            if state.get(m) == 1:
                cycle.extend(stack[stack.index(m):] + [m] if m in stack else [n, m])
                return True
            if m not in state and visit(m, stack + [m]):
                return True
        state[n] = 2
        return False

    for n in graph:
        if n not in state and visit(n, [n]):
            break
    assert cycle == []


def test_tests_mirror_the_source_tree_and_never_import_each_other() -> None:
    """Each test module lives in the folder of the subpackage it tests (or `e2e/`); what
    several of them need is in `tests/helpers/`, never imported from another test module."""
    tests = ROOT / "tests"
    folders = set(LAYERS) | {"e2e", "helpers", "data"}
    assert not list(tests.glob("test_*.py"))  # none left at the top
    assert {p.name for p in tests.iterdir() if p.is_dir() and not p.name.startswith((".", "_"))} \
        <= folders
    for path in tests.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = [a.name for a in node.names] if isinstance(node, ast.Import) else \
                [node.module or ""] if isinstance(node, ast.ImportFrom) else []
            assert not any(n.split(".")[0].startswith("test_") for n in names), (path, names)
