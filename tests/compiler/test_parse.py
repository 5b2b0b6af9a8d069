"""Stage 1: code blocks and definition tables found by the Markdown parser, with exact lines."""

from altspec.compiler.parse import CodeBlock, Row, Table, parse_page

PAGE = """\
# Title

## Constants

| Name | Value | Description |
|---|---|---|
| `ONE` | `uint64(1)` | *one* and `more` |
| `PIPE` | `a \\| b` | |

```python
def f() -> int:
    return 1
```

```text
not = "code"
```

| reason code | when |
|---|---|
| `x` | y |

## Preset

- in a list:

  ```python
  class A(uint64):
      pass
  ```

| Name | minimal | mainnet |
|---|---|---|
| `N` | `uint64(2)` | `uint64(4)` |
"""


def test_items_in_page_order_with_markdown_lines() -> None:
    items = parse_page(PAGE, "specs/p.md")
    assert [type(item).__name__ for item in items] == ["Table", "CodeBlock", "CodeBlock", "Table"]
    assert items[1] == CodeBlock("specs/p.md", 11, "def f() -> int:\n    return 1\n")
    assert items[2] == CodeBlock("specs/p.md", 28, "class A(uint64):\n    pass\n")


def test_table_rows_lines_and_unwrapped_code_spans() -> None:
    table = parse_page(PAGE, "specs/p.md")[0]
    assert table == Table(
        file="specs/p.md",
        line=5,
        section="Constants",
        headers=("Name", "Value", "Description"),
        rows=(
            Row(7, ("ONE", "uint64(1)", "one and more")),
            Row(8, ("PIPE", "a | b", "")),
        ),
    )


def test_section_is_the_nearest_h2_heading() -> None:
    last = parse_page(PAGE, "specs/p.md")[-1]
    assert isinstance(last, Table)
    assert (last.section, last.line, last.headers) == ("Preset", 32, ("Name", "minimal", "mainnet"))
    assert last.rows == (Row(34, ("N", "uint64(2)", "uint64(4)")),)


def test_only_python_fences_and_name_tables() -> None:
    page = "```py\nx\n```\n\n~~~python extra\ndef g() -> None: ...\n~~~\n\n| A | B |\n|-|-|\n| 1 | 2 |\n"
    assert parse_page(page, "specs/q.md") == [CodeBlock("specs/q.md", 6, "def g() -> None: ...\n")]
