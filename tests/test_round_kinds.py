"""One round model: no branch on a round's format (``kind = "performance" | "fixed" | "blocks"``) outside the
rules reader. What a page or a write does follows from the round's blocks (``paid_on``, reports needed,
milestones), read as one ``allocation.blocks.Round`` by ``allocation.block_convert.read_round``.

Checked on the code (ast), not by convention. Counted as a branch on the format, in store/, ui/, pages/, cli/,
documents/, present/ and ingest/:
- a comparison with a format's name (``"performance"``, ``"fixed"``, ``"blocks"``, or the constants
  ``PERFORMANCE``, ``FIXED``, ``BLOCKS``), but for a key test (``"blocks" in doc``);
- ``.kind`` of a round reference or rules head (``ref``, ``head``, ``loaded``, ``r``, ``round_``) compared, tested
  or looked up, ``.kind_sv`` anywhere, and a rules document's ``"kind"`` read (``doc["kind"]``,
  ``head.doc.get("kind")``);
- a call of ``round_kind``, ``at_round``, ``fixed_round``, ``_check_round_kind``, ``rounds_of_kind`` or
  ``is_performance_2023``, and ``.performance_2023`` read anywhere.
A decision's kind (``snapshot.kind``: decision or amendment) and a payout list's are not a round's format.
"""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("store", "ui", "pages", "cli", "documents", "present", "ingest")
FORMATS = {"performance", "fixed", "blocks"}
FORMAT_NAMES = {"PERFORMANCE", "FIXED", "BLOCKS"}
HOLDERS = {"ref", "head", "loaded", "r", "round_"}
DOCUMENTS = {"doc", "document", "rules"}
CALLS = {"round_kind", "at_round", "fixed_round", "_check_round_kind", "rounds_of_kind", "is_performance_2023"}
FLAGS = {"performance_2023"}  # a reader's answer "this file is in the 2023 format", read anywhere

# Files that may still branch on the format, each with why. A new file here needs a reason as good.
ALLOWED = {
    # The store's reader of rules documents: it checks each format field by field before the store takes it.
    "store/round_check.py",
    # The round editor's writer of a rules text, in place and in the text's own format (keeps its comments).
    "ui/rules_doc.py",
    # The command line's 2023 output form (``allocate --outcomes``, ``--key``, ``--steps``), kept byte for byte
    # for the scripts written against it: the options exist only for a file in that format.
    "cli/rounds.py",
    "cli/allocate.py",
}


def _is_format(node: ast.AST) -> bool:
    if isinstance(node, ast.Constant) and node.value in FORMATS:
        return True
    return isinstance(node, ast.Name) and node.id in FORMAT_NAMES


def _is_document(node: ast.AST) -> bool:
    """A rules document: a name ``doc``/``document``/``rules`` or an attribute ``.doc`` (``head.doc``)."""
    if isinstance(node, ast.Name):
        return node.id in DOCUMENTS
    return isinstance(node, ast.Attribute) and node.attr == "doc"


def _is_kind_read(node: ast.AST) -> bool:
    if isinstance(node, ast.Subscript) and isinstance(node.slice, ast.Constant) and node.slice.value == "kind":
        return _is_document(node.value)
    return (
        isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and node.func.attr == "get"
        and _is_document(node.func.value)
        and bool(node.args)
        and isinstance(node.args[0], ast.Constant)
        and node.args[0].value == "kind"
    )


def _holder_kind(node: ast.AST) -> bool:
    return (
        isinstance(node, ast.Attribute)
        and node.attr == "kind"
        and isinstance(node.value, ast.Name)
        and node.value.id in HOLDERS
    )


def _flagged(node: ast.AST, tested: set[int]) -> bool:
    if _holder_kind(node):
        return id(node) in tested
    if isinstance(node, ast.Attribute):
        return node.attr == "kind_sv" or node.attr in FLAGS
    if isinstance(node, ast.Call) and not _is_kind_read(node):
        name = node.func.attr if isinstance(node.func, ast.Attribute) else getattr(node.func, "id", "")
        return name in CALLS
    return _is_kind_read(node)


def branches(tree: ast.AST) -> list[int]:
    """The lines of ``tree`` that branch on a round's format (see the module's description)."""
    lines = set()
    tested: set[int] = set()  # ids of nodes that are a test, a lookup's key or a comparison's side
    for node in ast.walk(tree):
        if isinstance(node, ast.If | ast.IfExp | ast.While):
            tested.add(id(node.test))
        elif isinstance(node, ast.Subscript):
            tested.add(id(node.slice))
        elif isinstance(node, ast.Compare):
            sides = [node.left, *node.comparators]
            tested.update(id(n) for n in sides)
            key_test = isinstance(node.ops[0], ast.In | ast.NotIn) and _is_format(node.left)
            if (any(_is_format(n) for n in sides) and not key_test) or any(_holder_kind(n) for n in sides):
                lines.add(node.lineno)
    for node in ast.walk(tree):
        if _flagged(node, tested):
            lines.add(node.lineno)
    return sorted(lines)


def _files() -> dict[str, list[int]]:
    found = {}
    for package in PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            lines = branches(ast.parse(path.read_text(encoding="utf-8")))
            if lines:
                found[path.relative_to(ROOT).as_posix()] = lines
    return found


def test_no_branch_on_a_rounds_format_outside_the_reader_and_the_files_listed() -> None:
    found = _files()
    outside = {name: lines for name, lines in found.items() if name not in ALLOWED}
    assert outside == {}, f"branches on a round's format outside the rules reader: {outside}"
    assert sum(len(lines) for name, lines in found.items() if name not in ALLOWED) == 0


def test_the_allowed_list_names_only_files_that_still_branch() -> None:
    """A file that no longer branches leaves the list, so the list cannot hide a new branch later."""
    found = _files()
    assert {name for name in ALLOWED if (ROOT / name).exists() and name not in found} == set()


def test_the_check_sees_each_form_of_branch() -> None:
    code = """
if ref.kind == "fixed": pass
if head.kind != BLOCKS: pass
x = store.round_kind(rid)
y = doc.get("kind")
z = doc["kind"]
label = ref.kind_sv
old = is_performance_2023(head.doc)
legacy = loaded.performance_2023
w = "performance" if a == "performance" else ""
if ref.kind: pass
t = KINDS[head.kind]
ok = snapshot.kind == AMENDMENT
ok2 = listed.kind != "decision"
ok3 = "blocks" in doc
ok4 = [head.id, head.kind]
ok5 = params.get("kind")
"""
    assert branches(ast.parse(code)) == [2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]
