"""The one way castguard writes HTML: Jinja2 templates shipped inside the package, rendered with autoescaping.

The review report (``review.html.j2``), the batch dashboard (``dashboard.html.j2``) and the addendum as HTML
(``addendum.html.j2``, whose blocks the review report reuses for its proposed language) live in
``castguard/templating/html_templates/`` and are read with :mod:`importlib.resources`, so an installed wheel
carries them; a template that is missing is an error, never a silent fallback. Python prepares the data (view
models); the markup is in the templates.

Escaping happens in one place. Every ``{{ expression }}`` goes through :func:`castguard.escape.html.text`
(controls HTML cannot carry become U+FFFD; ``<``, ``>``, ``&`` and both quotes are escaped) unless it is markup
a template made itself (a macro's output, a ``{% set %}`` block). The filter ``visible`` shows controls and bidi
marks as escapes (file names: a right-to-left override must not disguise ``evil\\u202efdp.exe``).

Line breaks: in a ``.j2`` file a line break followed by indentation is removed when the template loads, so
markup can be laid out for its reader while the page comes out as compact as one line; a line that starts at
the left margin keeps the line break before it, and ``{{ nl }}`` writes one anywhere. Write a long sentence on
one line. Fixed style sheets and scripts are files of their own (``*.css``, ``*.js``), written into the page as
they are with ``{{ file("name") }}``; a script's Content-Security-Policy hash is taken from its file
(:func:`source_hash`).
"""

from __future__ import annotations

import base64
import hashlib
import re
from functools import lru_cache
from importlib import resources

from jinja2 import Environment, StrictUndefined, TemplateNotFound
from jinja2.ext import Extension
from jinja2.loaders import BaseLoader
from markupsafe import Markup

from ..errors import TemplateError
from ..escape.html import text as escape_text
from ..escape.terminal import visible

__all__ = ["render", "source", "source_hash"]

FOLDER = "html_templates"
_JOIN = re.compile(r"\n[ \t]+")


def source(name: str) -> str:
    """The text of one of the package's HTML template files; TemplateError when the installation lacks it."""
    try:
        return resources.files(__package__).joinpath(FOLDER, name).read_text(encoding="utf-8")
    except (FileNotFoundError, NotADirectoryError):
        raise TemplateError(
            f"castguard's HTML template {name} is missing from the installed package; reinstall castguard",
            path=f"castguard/templating/{FOLDER}/{name}",
        ) from None


def source_hash(name: str) -> str:
    """The base64 SHA-256 of a file as a template includes it (a script's Content-Security-Policy hash)."""
    return base64.b64encode(hashlib.sha256(source(name).encode("utf-8")).digest()).decode("ascii")


class _PackageLoader(BaseLoader):
    def get_source(self, environment, template):
        try:
            text = source(template)
        except TemplateError:
            raise TemplateNotFound(template) from None
        return text, None, lambda: True


class _JoinLines(Extension):
    """A line break and the indentation after it are for the template's reader only (see the module doc)."""

    def preprocess(self, source: str, name: str | None, filename: str | None = None) -> str:
        return _JOIN.sub("", source) if name and name.endswith(".j2") else source


def _finalize(value: object) -> Markup:
    """Every expression's value on its way into the page: markup a template made stays, the rest is escaped."""
    if isinstance(value, Markup):
        return value
    return Markup(escape_text(value))


@lru_cache(maxsize=1)
def environment() -> Environment:
    env = Environment(
        loader=_PackageLoader(),
        autoescape=True,
        finalize=_finalize,
        undefined=StrictUndefined,
        extensions=[_JoinLines],
        keep_trailing_newline=True,
        auto_reload=False,
    )
    env.filters["visible"] = visible
    env.globals["nl"] = Markup("\n")
    env.globals["file"] = lambda name: Markup(source(name))  # the package's own CSS and scripts, as they are
    return env


def render(name: str, **context) -> str:
    """Render the package's template ``name`` with ``context``."""
    try:
        template = environment().get_template(name)
    except TemplateNotFound as exc:
        raise TemplateError(
            f"castguard's HTML template {exc.name} is missing from the installed package; reinstall castguard",
            path=f"castguard/templating/{FOLDER}/{exc.name}",
        ) from None
    return template.render(**context)
