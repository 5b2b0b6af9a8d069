"""mkdocs hook: serve the spec pages straight from specs/ (no copies to drift), anchor every
definition, link every defined name in code to its definition, and generate the reference
index (definitions and reason codes).

Definitions come from the spec compiler's own parser and model, so the site and the compiled
package always agree on what is defined where.
"""

import html
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from mkdocs.structure.files import File, Files

from altspec.compiler.build import read_pages
from altspec.compiler.model import load_model
from altspec.compiler.parse import CodeBlock, Table, parse_page
from altspec.compiler.reasons import Reason, reasons_in

ROOT = Path(__file__).resolve().parents[2]
SPEC_DIR = "spec"
NAME_SPAN = re.compile(r'<span class="(n|nf|nc|nb)">(\w+)</span>')


@dataclass(frozen=True)
class Target:
    """Where a definition is shown: the site page and the anchor inserted before it."""

    name: str
    kind: str
    page: str
    line: int

    @property
    def anchor(self) -> str:
        return f"def-{self.name}"


def site_uri(spec_file: str) -> str:
    """`specs/core.md` is shown at `spec/core.md`."""
    return f"{SPEC_DIR}/{Path(spec_file).name}"


def collect() -> tuple[dict[str, Target], list[Reason], dict[str, list[tuple[int, int]]]]:
    """Definitions, reason codes, and for each page the (insert line, definition line) anchors."""
    pages = [(file, parse_page(text, file)) for file, text in read_pages(ROOT)]
    model = load_model(ROOT, [items for _, items in pages], "mainnet")
    targets = {
        d.name: Target(d.name, d.kind, site_uri(d.file), d.line) for d in model.definitions
    }
    reasons: list[Reason] = []
    blocks: dict[str, list[tuple[int, int]]] = {}
    for file, items in pages:
        for item in items:
            if isinstance(item, CodeBlock):
                reasons += reasons_in(item)
                end = item.line + item.source.count("\n")
                blocks.setdefault(file, []).extend(
                    (item.line - 1, t.line) for t in targets.values()
                    if t.page == site_uri(file) and item.line <= t.line <= end
                )
            elif isinstance(item, Table):
                blocks.setdefault(file, []).extend((row.line, row.line) for row in item.rows)
    return targets, reasons, blocks


STATE: dict[str, Any] = {}


def on_files(files: Files, config: Any) -> Files:
    targets, reasons, anchors = collect()
    STATE.update(targets=targets, reasons=reasons, anchors=anchors)
    for file, _ in read_pages(ROOT):
        files.append(File.generated(config, site_uri(file), abs_src_path=str(ROOT / file)))
    files.append(File.generated(config, "reference.md", content=reference_page(targets, reasons)))
    return files


def on_page_markdown(markdown: str, page: Any, config: Any, files: Files) -> str:
    """Insert an anchor before each definition of a spec page."""
    spec_file = f"specs/{Path(page.file.src_uri).name}"
    if not page.file.src_uri.startswith(f"{SPEC_DIR}/"):
        return markdown
    lines = markdown.split("\n")
    names = {t.line: t.anchor for t in STATE["targets"].values() if t.page == page.file.src_uri}
    inserts: dict[int, list[str]] = {}
    for at, line in STATE["anchors"].get(spec_file, []):
        if line in names:
            inserts.setdefault(at, []).append(names[line])
    for at in sorted(inserts, reverse=True):
        index = at - 1
        tags = "".join(f'<a id="{anchor}"></a>' for anchor in inserts[at])
        if lines[index].lstrip().startswith("|"):
            lines[index] = lines[index].replace("|", f"| {tags}", 1)
        else:
            lines[index:index] = [tags, ""]
    return "\n".join(lines)


def on_page_content(content: str, page: Any, config: Any, files: Files) -> str:
    """Link every defined name in highlighted code to its definition."""
    targets: dict[str, Target] = STATE["targets"]
    depth = page.file.url.count("/")
    prefix = "../" * depth

    def link(match: re.Match[str]) -> str:
        target = targets.get(match.group(2))
        if target is None:
            return match.group(0)
        url = f"{prefix}{target.page.removesuffix('.md')}/#{target.anchor}"
        return f'<a class="spec-ref" href="{html.escape(url)}">{match.group(0)}</a>'

    return NAME_SPAN.sub(link, content)


def on_serve(server: Any, config: Any, builder: Any) -> Any:
    server.watch(str(ROOT / "specs"))
    return server


def reference_page(targets: dict[str, Target], reasons: list[Reason]) -> str:
    """The index of every definition and every reason code."""
    kinds = {"class": "Types and containers", "function": "Functions", "constant": "Constants",
             "preset": "Preset values", "config": "Configuration values"}
    out = ["# Reference index", "",
           "Every definition of the spec, and every reason code a block can be rejected with.", ""]
    for kind, title in kinds.items():
        chosen = sorted((t for t in targets.values() if t.kind == kind), key=lambda t: t.name)
        if not chosen:
            continue
        out += [f"## {title}", "", "| name | page |", "|---|---|"]
        out += [f"| [`{t.name}`]({t.page}#{t.anchor}) | {t.page.removeprefix(SPEC_DIR + '/')} |"
                for t in chosen]
        out.append("")
    out += ["## Reason codes", "", "| reason code | raised in | page |", "|---|---|---|"]
    for r in sorted(reasons, key=lambda r: (r.code, r.function)):
        fn = targets[r.function]
        out.append(f"| `{r.code}` | [`{r.function}`]({fn.page}#{fn.anchor}) | "
                   f"{Path(r.file).name} |")
    return "\n".join(out) + "\n"
