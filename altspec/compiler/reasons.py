"""The reason codes of the spec: every `assert ..., "code"` in spec code, with its function and
Markdown line. Used by the site's reference index and by the check that vectors hit them all."""

import ast
from dataclasses import dataclass
from pathlib import Path

from altspec.compiler.build import read_pages
from altspec.compiler.parse import CodeBlock, parse_page

INVARIANT_PREFIX = "invariant_"
"""Reason codes of invariant checks: raised only when an invariant fails, never by a block."""


@dataclass(frozen=True)
class Reason:
    """One assert: its code, the function it is in, and where it is in the Markdown."""

    code: str
    function: str
    file: str
    line: int


def reasons_in(block: CodeBlock) -> list[Reason]:
    """The reason-coded asserts of one code block."""
    found = []
    for node in ast.walk(ast.parse(block.source)):
        if isinstance(node, ast.FunctionDef):
            for inner in ast.walk(node):
                if isinstance(inner, ast.Assert) and isinstance(inner.msg, ast.Constant):
                    line = block.line + inner.lineno - 1
                    found.append(Reason(str(inner.msg.value), node.name, block.file, line))
    return found


def spec_reasons(root: Path) -> list[Reason]:
    """Every reason-coded assert of the spec pages under `root`, in page order."""
    return [
        reason
        for file, text in read_pages(root)
        for item in parse_page(text, file)
        if isinstance(item, CodeBlock)
        for reason in reasons_in(item)
    ]


def block_reason_codes(root: Path) -> set[str]:
    """The reason codes a block or operation can be rejected with (all but the invariants')."""
    return {r.code for r in spec_reasons(root) if not r.code.startswith(INVARIANT_PREFIX)}
