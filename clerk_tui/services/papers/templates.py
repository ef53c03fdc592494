"""Paper templates: data files a station can adjust, run in Jinja's sandbox.

The bundled templates are `data/papers/<zh|en>/<kind>.txt`; a station puts its own
versions of any of them in `[papers] templates` (same layout) and those win. A template
is plain text in the directives of `markup.py`, with Jinja's `{{ field }}`, `{% if %}` and
`{% for %}`: the sandbox (`ImmutableSandboxedEnvironment`) lets it read the fields it is
given and nothing else: no attributes starting with `_`, no calls into Python, no files
(the loader serves only the template folders, and no template names another).

Every template is checked when loaded: Jinja syntax, each line's directive, and a trial
render on sample fields (a misspelt field name is found then, not on the applicant's
paper). An error is one `ClerkError` naming the file and the line.
"""

from __future__ import annotations

import types
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from jinja2 import StrictUndefined, TemplateError, TemplateSyntaxError
from jinja2.exceptions import SecurityError
from jinja2.sandbox import ImmutableSandboxedEnvironment

from clerk_tui.display_text import neutral
from clerk_tui.errors import ClerkError
from clerk_tui.services.papers import markup

MAX_TEMPLATE_BYTES = 64 * 1024


def bundled_folder() -> Path:
    from clerk_tui.resources import data_dir

    return data_dir() / "papers"


def _one_line(value: Any) -> Any:
    """Every `{{ value }}` on one line: a newline typed into a case cannot start a directive;
    and inert (`display_text.neutral`): a control character is a command to a printer."""
    if isinstance(value, str) and ("\n" in value or "\r" in value):
        value = " ".join(part.strip() for part in value.splitlines() if part.strip())
    return neutral(value, one_line=True) if isinstance(value, str) else value


def _environment() -> ImmutableSandboxedEnvironment:
    env = ImmutableSandboxedEnvironment(
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        autoescape=False,  # the renderers escape: markup.render_html
        finalize=_one_line,
    )
    # Nothing reaches outside the given fields: no other templates, no Python globals.
    env.globals.clear()
    env.globals["range"] = range
    return env


@dataclass(frozen=True)
class PaperTemplate:
    name: str  # "zh/acceptance.txt", as the error messages name it
    path: Path
    source: str
    compiled: Any

    def render(self, fields: dict[str, Any]) -> list[markup.Block]:
        """The paper's directives for `fields`; any failure names this template and its line."""
        try:
            rendered = self.compiled.render(fields)
        except SecurityError as exc:
            raise _error(self.name, _line_of(exc, self.name), f"sandbox: {exc}") from exc
        except TemplateError as exc:
            raise _error(self.name, _line_of(exc, self.name), str(exc)) from exc
        except (TypeError, ValueError, ArithmeticError, LookupError) as exc:
            raise _error(self.name, _line_of(exc, self.name), str(exc)) from exc
        try:
            return markup.parse(rendered)
        except markup.MarkupError as exc:
            raise _error(self.name, 0, f"unknown directive {exc.directive!r}") from exc


def _error(name: str, line: int, reason: str) -> ClerkError:
    if line:
        return ClerkError("papers.template_error", template=name, line=line, reason=reason)
    return ClerkError("papers.template_error_noline", template=name, reason=reason)


def _line_of(exc: BaseException, name: str) -> int:
    """The template line where a render failed: Jinja puts the template's own frames, with
    the template's line numbers, into the traceback."""
    line = getattr(exc, "lineno", None)
    if isinstance(line, int) and line:
        return line
    tb: types.TracebackType | None = exc.__traceback__
    found = 0
    while tb is not None:
        filename = tb.tb_frame.f_code.co_filename
        if filename == name or filename.endswith(name):
            found = tb.tb_lineno
        tb = tb.tb_next
    return found


def _check_directives(name: str, source: str) -> None:
    """Each line is a directive, a Jinja statement or comment, or empty."""
    in_comment = False
    for n, raw in enumerate(source.splitlines(), 1):
        line = raw.strip()
        if in_comment:
            in_comment = "#}" not in line
            continue
        if not line or line == "rule" or line.startswith(("{%", "{{")):
            continue
        if line.startswith("{#"):
            in_comment = "#}" not in line
            continue
        if not markup.directive_of(line) or ":" not in line:
            raise _error(name, n, f"unknown directive {line.partition(':')[0][:20]!r}")


def load(path: Path, name: str, sample: dict[str, Any]) -> PaperTemplate:
    """Read, compile and check one template (`sample`: fields for the trial render)."""
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise ClerkError("papers.template_unreadable", template=str(path), reason=exc.strerror or str(exc)) from exc
    if len(raw) > MAX_TEMPLATE_BYTES:
        raise _error(name, 0, f"larger than {MAX_TEMPLATE_BYTES // 1024} KiB")
    try:
        source = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise _error(name, line, "not UTF-8") from exc
    env = _environment()
    try:
        code = env.compile(source, name=name, filename=name)
        compiled = env.template_class.from_code(env, code, env.make_globals(None), None)
    except TemplateSyntaxError as exc:
        raise _error(name, exc.lineno or 0, exc.message or str(exc)) from exc
    _check_directives(name, source)
    template = PaperTemplate(name, path, source, compiled)
    template.render(sample)
    return template


def find(kind: str, language: str, station_folder: Path | None) -> tuple[Path, str]:
    """The station's template for `kind` if it has one, else the bundled one."""
    name = f"{language}/{kind}.txt"
    if station_folder is not None:
        own = station_folder / language / f"{kind}.txt"
        if own.is_file():
            return own, name
    return bundled_folder() / language / f"{kind}.txt", name


def template_for(kind: str, language: str, station_folder: Path | None, sample: dict[str, Any]) -> PaperTemplate:
    path, name = find(kind, language, station_folder)
    shown = str(path) if station_folder is not None and path.is_relative_to(station_folder) else name
    return load(path, shown, sample)
