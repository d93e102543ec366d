"""The package's own import graph: no circles, and the stages' arrows point one way."""

from __future__ import annotations

import ast
from pathlib import Path

import networkx as nx

import linker

ROOT = Path(linker.__file__).parent

# stage folders in flow order: a stage may import earlier stages, never later ones
ORDER = ["ingest", "detect", "feedback", "campaigns", "outputs"]


def _module(path: Path) -> str:
    rel = path.relative_to(ROOT.parent).with_suffix("")
    parts = list(rel.parts)
    if parts[-1] == "__init__":
        parts = parts[:-1]
    return ".".join(parts)


def import_graph() -> nx.DiGraph:
    """Module → module edges for every `import linker…` / `from linker… import` anywhere in
    a module (lazy imports inside functions included; TYPE_CHECKING-only ones excluded)."""
    g = nx.DiGraph()
    modules = {_module(p): p for p in ROOT.rglob("*.py")}
    for name, path in modules.items():
        g.add_node(name)
        tree = ast.parse(path.read_text(encoding="utf-8"))
        type_only = set()
        for node in ast.walk(tree):
            if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
                type_only |= {id(n) for n in ast.walk(node)}
        for node in ast.walk(tree):
            if id(node) in type_only:
                continue
            targets: list[str] = []
            if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                targets = [f"{node.module}.{a.name}" for a in node.names] + [node.module]
            elif isinstance(node, ast.Import):
                targets = [a.name for a in node.names]
            for t in targets:
                if t.startswith("linker") and t in modules and t != name:
                    g.add_edge(name, t)
                    break
    # a package's __init__ importing its own submodules is not a circle
    g.remove_edges_from([(a, b) for a, b in list(g.edges) if b.startswith(a + ".")])
    return g


def test_no_import_circles() -> None:
    g = import_graph()
    assert len(g) > 30
    cycles = list(nx.simple_cycles(g))
    assert cycles == [], cycles


def test_stages_import_only_earlier_stages() -> None:
    g = import_graph()
    wrong = []
    for a, b in g.edges:
        sa, sb = (a.split(".") + [""])[1], (b.split(".") + [""])[1]
        if sa in ORDER and sb in ORDER and ORDER.index(sb) > ORDER.index(sa):
            wrong.append((a, b))
        if sb == "commands" and sa != "commands" and a != "linker.cli":
            wrong.append((a, b))  # nothing but the CLI entry point imports the commands
    assert wrong == []


def test_identifier_kinds_are_defined_once() -> None:
    """Every stage takes kinds from linker.kinds: no other module spells out a table of kinds
    (a dict literal keyed by three or more kind names with constant values, or a literal list
    of three or more kind names and nothing else)."""
    from linker.kinds import NAMES

    names = set(NAMES)
    offenders = []
    for path in ROOT.rglob("*.py"):
        if path.name == "kinds.py" or "demo" in path.parts:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Dict):
                keys = {k.value for k in node.keys if isinstance(k, ast.Constant)}
                if len(keys & names) >= 3 and all(isinstance(v, ast.Constant) for v in node.values):
                    offenders.append(f"{path.name}:{node.lineno}")
            elif isinstance(node, (ast.Tuple, ast.Set, ast.List)) and len(node.elts) >= 3:
                vals = [e.value for e in node.elts if isinstance(e, ast.Constant)]
                if len(vals) == len(node.elts) and set(vals) <= names:
                    offenders.append(f"{path.name}:{node.lineno}")
    assert offenders == []
