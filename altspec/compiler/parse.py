"""Stage 1: find the spec code blocks and definition tables of a Markdown page.

Uses markdown-it-py (CommonMark with the GFM table extension); line numbers are 1-based
Markdown lines taken from the token maps.
"""

from dataclasses import dataclass

from markdown_it import MarkdownIt
from markdown_it.token import Token

_MARKDOWN = MarkdownIt("commonmark").enable("table")


@dataclass(frozen=True)
class CodeBlock:
    """A ```python fence; `line` is the Markdown line of its first code line."""

    file: str
    line: int
    source: str


@dataclass(frozen=True)
class Row:
    """One body row of a table: its Markdown line and its cell texts (code spans unwrapped)."""

    line: int
    cells: tuple[str, ...]


@dataclass(frozen=True)
class Table:
    """A definition table (first header cell `Name`) under the `##` heading `section`."""

    file: str
    line: int
    section: str
    headers: tuple[str, ...]
    rows: tuple[Row, ...]


Item = CodeBlock | Table


def parse_page(text: str, file: str) -> list[Item]:
    """The code blocks and definition tables of one page, in page order."""
    tokens = _MARKDOWN.parse(text)
    items: list[Item] = []
    section = ""
    for index, token in enumerate(tokens):
        if token.type == "heading_open" and token.tag == "h2":
            section = _inline_text(tokens[index + 1])
        elif token.type == "fence" and _is_python(token):
            items.append(CodeBlock(file, _first_line(token) + 1, token.content))
        elif token.type == "table_open":
            table = _table(tokens, index, file, section)
            if table.headers[:1] == ("Name",):
                items.append(table)
    return items


def _is_python(token: Token) -> bool:
    """True for a fence whose info string is `python`."""
    return token.info.strip().split()[:1] == ["python"]


def _first_line(token: Token) -> int:
    """The 1-based Markdown line where `token` starts."""
    assert token.map is not None, "token_without_map"
    return token.map[0] + 1


def _inline_text(token: Token) -> str:
    """The plain text of an inline token: text as written, code spans without backticks."""
    return "".join(child.content for child in token.children or []).strip()


def _table(tokens: list[Token], start: int, file: str, section: str) -> Table:
    """The table whose `table_open` token is at `start`."""
    rows: list[Row] = []
    cells: list[str] = []
    line = 0
    for token in tokens[start + 1 :]:
        if token.type == "table_close":
            break
        if token.type == "tr_open":
            line, cells = _first_line(token), []
        elif token.type == "inline":
            cells.append(_inline_text(token))
        elif token.type == "tr_close":
            rows.append(Row(line, tuple(cells)))
    header = rows[0]
    return Table(file, header.line, section, header.cells, tuple(rows[1:]))
