"""The Jinja2 sandbox the addendum templates render in, and the check of one remedy template.

Addendum templates are user-editable (``--templates DIR``, a playbook's own remedy templates), so they render
in :class:`jinja2.sandbox.ImmutableSandboxedEnvironment` with ``StrictUndefined``: templates see plain data only,
cannot reach Python internals, cannot mutate what they are given, and a misspelt name is an error rather than a
blank. Every ``{{ expression }}`` is escaped for the Markdown the templates write
(:func:`~castguard.escape.markdown.md_escape`); only text castguard rendered itself (:func:`passthrough`) is
written as is. The template set itself is :mod:`castguard.draft.templates`; a playbook checks its own remedy
templates here when it loads (:func:`remedy_template_problem`), before anything is drafted.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from ..escape.markdown import md_escape

if TYPE_CHECKING:
    from jinja2.sandbox import ImmutableSandboxedEnvironment

__all__ = ["MAX_TEMPLATE_BYTES", "REMEDY_BLOCKS", "environment", "passthrough", "remedy_template_problem"]

REMEDY_BLOCKS = ("section", "carve_out")
MAX_TEMPLATE_BYTES = 256 * 1024


class _Passthrough(str):
    """Text castguard rendered itself (a section body): written as is, not escaped again."""


def _finalize(value):
    if isinstance(value, _Passthrough):
        return value
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    return md_escape(str(value))


def passthrough(text: str) -> str:
    """``text`` marked as rendered by castguard itself: a template writes it as is, not escaped again."""
    return _Passthrough(text)


def environment(loader) -> ImmutableSandboxedEnvironment:
    """The sandbox every addendum template renders in (the set's and a playbook's own remedy templates)."""
    from jinja2 import StrictUndefined
    from jinja2.sandbox import ImmutableSandboxedEnvironment

    return ImmutableSandboxedEnvironment(
        loader=loader,
        undefined=StrictUndefined,
        autoescape=False,
        finalize=_finalize,
        keep_trailing_newline=True,
        auto_reload=False,
    )


def remedy_template_problem(folder: Path, name: str) -> str | None:
    """What is wrong with the remedy template ``name`` in ``folder`` (None: it is usable): it must exist inside
    the folder, be UTF-8 Jinja2 that parses in the sandbox, and define the ``section`` and ``carve_out`` blocks."""
    from jinja2 import FileSystemLoader, TemplateSyntaxError

    path = folder / name
    if not path.is_file():
        return f"the template {path} does not exist (templates_dir is read relative to the playbook file)"
    target = path.resolve()
    if folder.resolve() not in target.parents:
        return f"the template {path} is a link to a file outside the template folder; copy the file in"
    if path.stat().st_size > MAX_TEMPLATE_BYTES:
        return f"the template {path} is larger than {MAX_TEMPLATE_BYTES} bytes"
    try:
        template = environment(FileSystemLoader(str(folder))).get_template(name)
    except TemplateSyntaxError as exc:
        return f"the template {path}, line {exc.lineno}: {exc.message}"
    except UnicodeDecodeError:
        return f"the template {path} is not UTF-8 text"
    lacking = [b for b in REMEDY_BLOCKS if b not in template.blocks]
    if lacking:
        return f"the template {path} does not define the block(s) {', '.join(lacking)}; see templates/README.md"
    return None
