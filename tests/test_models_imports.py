"""models/ has no import cycle, and the store's parts never import the store they make up.

Read from the code by grimp (import-linter's graph builder), counting imports inside functions too:
a cycle hidden in a function-level import is still a cycle.
"""

from __future__ import annotations

import grimp

STORE_PARTS = ("models.transactions", "models.patients", "models.encounters", "models.bulk", "models.audit",
               "models.accounts", "models.maintenance", "models.hashing", "models.demo", "models.records")


def _graph(*, at_run_time: bool = False) -> grimp.ImportGraph:
    """The import graph; ``at_run_time``: without imports made only for the type checker."""
    return grimp.build_graph("models", include_external_packages=True, exclude_type_checking_imports=at_run_time,
                             cache_dir=None)  # never a stale cache: the test is about the files as they are


def _cycles(graph: grimp.ImportGraph, modules: set[str]) -> list[list[str]]:
    """Strongly connected groups of more than one module (Tarjan), each sorted."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(module: str) -> None:
        index[module] = low[module] = len(index)
        stack.append(module)
        on_stack.add(module)
        for imported in graph.find_modules_directly_imported_by(module) & modules:
            if imported not in index:
                visit(imported)
                low[module] = min(low[module], low[imported])
            elif imported in on_stack:
                low[module] = min(low[module], index[imported])
        if low[module] == index[module]:
            group = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                group.append(member)
                if member == module:
                    break
            if len(group) > 1:
                found.append(sorted(group))

    for module in sorted(modules):
        if module not in index:
            visit(module)
    return found


def test_models_has_no_import_cycle() -> None:
    graph = _graph()
    modules = {m for m in graph.modules if m == "models" or m.startswith("models.")}
    assert "models.store" in modules and "models.demo" in modules
    assert _cycles(graph, modules) == []


def test_the_cycle_check_finds_a_cycle() -> None:
    graph = grimp.ImportGraph()
    for module in ("a", "b", "c"):
        graph.add_module(module)
    graph.add_import(importer="a", imported="b")
    graph.add_import(importer="b", imported="a")
    graph.add_import(importer="b", imported="c")
    assert _cycles(graph, {"a", "b", "c"}) == [["a", "b"]]


def test_no_part_of_the_store_imports_the_store() -> None:
    graph = _graph()
    for part in STORE_PARTS:
        assert graph.find_shortest_chain(importer=part, imported="models.store") is None, part
    # The demo generator and the hashing need no database at run time; the records never do.
    graph = _graph(at_run_time=True)
    assert graph.find_shortest_chain(importer="models.demo", imported="sqlalchemy") is None
    assert graph.find_shortest_chain(importer="models.hashing", imported="sqlalchemy") is None
    assert graph.find_shortest_chain(importer="models.records", imported="sqlalchemy") is None
