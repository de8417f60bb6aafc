"""The package's layers: no import cycles, and no import from a lower layer to a higher one.

The layer picture is the one in docs/architecture.md; the imports are read from the source with
``ast`` (every import, including those inside functions), independently of the package itself.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "csp_analysis"

#: Lowest first. A module may import modules of its own layer's group or of lower layers.
LAYERS = (
    ("errors", "categories", "paths", "formatting", "periods", "schema_checks"),
    ("config",),
    ("methods",),
    ("police", "geo", "demo"),
    ("partners",),
    ("report",),
    ("sections",),
    ("pipeline",),
)


def _group(module: str) -> str:
    """'csp_analysis.methods.change' -> 'methods'; 'csp_analysis.periods' -> 'periods'."""
    return module.split(".")[1]


def _layer(group: str) -> int:
    for level, groups in enumerate(LAYERS):
        if group in groups:
            return level
    raise AssertionError(f"csp_analysis.{group} is in no layer: add it to LAYERS and docs/architecture.md")


def _module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _imports(path: Path) -> set[str]:
    """Every csp_analysis module that ``path`` imports (relative imports resolved)."""
    module = _module_name(path)
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found |= {a.name for a in node.names if a.name.startswith("csp_analysis")}
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join(anchor + ([base] if base else []))
            if base.startswith("csp_analysis"):
                for alias in node.names:  # 'from csp_analysis.methods import change' imports a module
                    candidate = f"{base}.{alias.name}"
                    known = (PACKAGE.parent / candidate.replace(".", "/")).with_suffix(".py").exists() or \
                        (PACKAGE.parent / candidate.replace(".", "/") / "__init__.py").exists()
                    found.add(candidate if known else base)
    return {m for m in found if m != "csp_analysis"}


MODULES = {
    _module_name(p): _imports(p)
    for p in sorted(PACKAGE.rglob("*.py"))
    if p.name != "__main__.py" and p.parent != PACKAGE.parent and _module_name(p) != "csp_analysis"
}


@pytest.mark.parametrize("module", sorted(MODULES))
def test_no_import_reaches_up(module):
    level = _layer(_group(module))
    upward = sorted(m for m in MODULES[module] if _layer(_group(m)) > level)
    assert not upward, f"{module} (layer {level}) imports higher layers: {upward}"


def test_no_import_cycle():
    """Depth-first search over the module graph; a back edge is a cycle."""
    state: dict[str, int] = {}
    cycles = []

    def visit(node, trail):
        state[node] = 1
        for nxt in sorted(MODULES.get(node, ())):
            if nxt not in MODULES:
                continue
            if state.get(nxt) == 1:
                cycles.append(trail[trail.index(nxt):] + [nxt] if nxt in trail else [node, nxt])
            elif nxt not in state:
                visit(nxt, trail + [nxt])
        state[node] = 2

    for module in sorted(MODULES):
        if module not in state:
            visit(module, [module])
    assert not cycles, f"import cycles: {cycles}"


def test_layer_check_sees_a_violation(tmp_path):
    """The checker itself: an upward import written in a scratch module is reported."""
    scratch = PACKAGE / "methods" / "_scratch_for_test.py"
    assert not scratch.exists()
    try:
        scratch.write_text("from csp_analysis.pipeline import runner\n", encoding="utf-8")
        imported = _imports(scratch)
    finally:
        scratch.unlink()
    assert imported == {"csp_analysis.pipeline.runner"}
    assert _layer(_group("csp_analysis.pipeline.runner")) > _layer(_group("csp_analysis.methods.x"))
