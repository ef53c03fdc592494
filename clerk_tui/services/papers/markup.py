"""The little line language a paper template produces, and its two renderings.

A template (Jinja, sandboxed: `templates.py`) renders to lines, one directive each:

    title: 受理通知书                 centred heading
    subtitle: （承诺件）              centred line under it
    number: 编号 | SL-20261124-01-001  the paper's number
    field: 申请人 | 王小明            label and value (an empty value: a line to fill by hand)
    para: text                        paragraph, first line indented in Chinese
    text: text                        paragraph without indent
    item: 1. | text                   numbered item, wrapped with a hanging indent
    sub: text                         a line under the item above
    right: text                       right-aligned (the office and date at the foot)
    sign: 申请人签字                   a line to sign on
    rule                              a horizontal rule
    (an empty line)                   space

The directives carry text, never markup: the HTML rendering escapes every value, and the
receipt rendering fits every line into the printer's width (a Chinese character counting
as two cells), so nothing typed into a case can break either.
"""

from __future__ import annotations

import html
from dataclasses import dataclass

from rich.cells import cell_len

from clerk_tui.services.check.notice import wrap

DIRECTIVES = ("title", "subtitle", "number", "field", "para", "text", "item", "sub", "right", "sign", "rule")
PAIRED = ("number", "field", "item")  # "label | value"


@dataclass(frozen=True)
class Block:
    kind: str  # a directive, or "blank"
    text: str = ""
    label: str = ""  # number / field / item: the part before "|"
    line: int = 0  # in the rendered output, for error messages


class MarkupError(ValueError):
    def __init__(self, line: int, directive: str) -> None:
        super().__init__(directive)
        self.line = line
        self.directive = directive


def directive_of(line: str) -> str:
    """The directive a source or output line starts with ("" for none)."""
    head = line.strip().partition(":")[0].strip()
    return head if head in DIRECTIVES else ""


def parse(rendered: str) -> list[Block]:
    blocks: list[Block] = []
    for n, raw in enumerate(rendered.splitlines(), 1):
        line = raw.strip()
        if not line:
            if blocks and blocks[-1].kind != "blank":
                blocks.append(Block("blank", line=n))
            continue
        if line == "rule":
            blocks.append(Block("rule", line=n))
            continue
        head, colon, rest = line.partition(":")
        kind = head.strip()
        if not colon or kind not in DIRECTIVES or kind == "rule":
            raise MarkupError(n, kind if colon else line[:20])
        rest = rest.strip()
        if kind in PAIRED:
            label, _, value = rest.partition("|")
            blocks.append(Block(kind, value.strip(), label.strip(), n))
        else:
            blocks.append(Block(kind, rest, line=n))
    while blocks and blocks[-1].kind == "blank":
        blocks.pop()
    return blocks


def fields(blocks: list[Block]) -> dict[str, str]:
    """Label → value of the paper's fields (and its number): what the tests compare."""
    return {b.label: b.text for b in blocks if b.kind in ("number", "field")}


# --- receipt text -----------------------------------------------------------------------------


def _sep(language: str) -> str:
    return "：" if language == "zh" else ": "


def _centre(text: str, width: int) -> list[str]:
    return [" " * max(0, (width - cell_len(line)) // 2) + line for line in wrap(text, width)]


def render_text(blocks: list[Block], width: int, language: str) -> str:
    """The receipt printer's text: no line wider than `width` cells."""
    out: list[str] = []
    item_indent = 0
    for b in blocks:
        if b.kind == "blank":
            out.append("")
        elif b.kind == "rule":
            out.append("-" * width)
        elif b.kind in ("title", "subtitle"):
            out += _centre(b.text, width)
        elif b.kind in ("number", "field"):
            head = b.label + _sep(language)
            if b.text:
                out += wrap(b.text, width, indent=min(cell_len(head), width // 3), first=head)
            else:
                out.append(head + "_" * max(4, width - cell_len(head)))
        elif b.kind == "para":
            out += wrap(b.text, width, first="  " if language == "zh" else "")
        elif b.kind == "text":
            out += wrap(b.text, width)
        elif b.kind == "item":
            head = (b.label + " ") if b.label else ""
            item_indent = min(cell_len(head), width // 3)
            out += wrap(b.text, width, indent=item_indent, first=head)
        elif b.kind == "sub":
            out += wrap(b.text, width, indent=item_indent, first=" " * item_indent)
        elif b.kind == "right":
            for line in wrap(b.text, width):
                out.append(" " * max(0, width - cell_len(line)) + line)
        elif b.kind == "sign":
            head = b.text + _sep(language)
            out.append(head + "_" * max(4, width - cell_len(head)))
    return "\n".join(out) + "\n"


# --- A4 HTML ----------------------------------------------------------------------------------

CSS = """
@page { size: A4; margin: 20mm 18mm 22mm 18mm;
  @bottom-center { content: counter(page) " / " counter(pages); font-size: 9pt; } }
body { font-family: "SimSun", "Songti SC", "Noto Serif CJK SC", serif; font-size: 12pt; line-height: 1.7; }
h1 { text-align: center; font-size: 20pt; margin: 0; letter-spacing: 0.2em; }
p { margin: 0.3em 0; }
p.sub { text-align: center; margin: 0 0 0.8em 0; }
p.no { text-align: right; }
p.indent { text-indent: 2em; }
p.right { text-align: right; }
table.fields { border-collapse: collapse; margin: 0.3em 0; }
table.fields td { padding: 0 1em 0 0; vertical-align: top; }
table.fields td.label { white-space: nowrap; }
div.item { padding-left: 2em; text-indent: -2em; }
div.item .subline { text-indent: 0; }
.blank { display: inline-block; min-width: 12em; border-bottom: 1px solid #000; }
p.sign { margin-top: 1.5em; }
hr { border: none; border-top: 1px solid #000; }
div.item, table.fields tr, p.sign { page-break-inside: avoid; }
@media screen { body { max-width: 174mm; margin: 1em auto; } }
"""


def render_html(blocks: list[Block], language: str, title: str) -> str:
    e = html.escape
    body: list[str] = []
    sep = _sep(language)
    table: list[str] = []
    item: list[str] = []

    def close() -> None:
        if table:
            body.append('<table class="fields">' + "".join(table) + "</table>")
            table.clear()
        if item:
            body.append('<div class="item">' + "".join(item) + "</div>")
            item.clear()

    for b in blocks:
        if b.kind != "field" and table:
            close()
        if b.kind != "sub" and item:
            close()
        if b.kind == "title":
            body.append(f"<h1>{e(b.text)}</h1>")
        elif b.kind == "subtitle":
            body.append(f'<p class="sub">{e(b.text)}</p>')
        elif b.kind == "number":
            body.append(f'<p class="no">{e(b.label)}{e(sep)}{e(b.text)}</p>')
        elif b.kind == "field":
            value = e(b.text) if b.text else '<span class="blank">&nbsp;</span>'
            table.append(f'<tr><td class="label">{e(b.label)}{e(sep.strip())}</td><td>{value}</td></tr>')
        elif b.kind == "para":
            body.append(f'<p class="indent">{e(b.text)}</p>' if language == "zh" else f"<p>{e(b.text)}</p>")
        elif b.kind == "text":
            body.append(f"<p>{e(b.text)}</p>")
        elif b.kind == "item":
            item.append(f"<div>{e(b.label)} {e(b.text)}</div>")
        elif b.kind == "sub":
            if item:
                item.append(f'<div class="subline">{e(b.text)}</div>')
            else:
                body.append(f"<p>{e(b.text)}</p>")
        elif b.kind == "right":
            body.append(f'<p class="right">{e(b.text)}</p>')
        elif b.kind == "sign":
            body.append(f'<p class="sign">{e(b.text)}{e(sep)}<span class="blank">&nbsp;</span></p>')
        elif b.kind == "rule":
            body.append("<hr>")
        elif b.kind == "blank":
            continue
    close()
    lang = "zh-CN" if language == "zh" else "en"
    return (
        f'<!DOCTYPE html>\n<html lang="{lang}"><head><meta charset="utf-8"><title>{e(title)}</title>\n'
        f"<style>{CSS}</style></head>\n<body>\n" + "\n".join(body) + "\n</body></html>\n"
    )
