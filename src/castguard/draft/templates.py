"""Template sets: find, validate and render the addendum templates in Jinja2's sandbox.

A template set is a folder (``templates/`` of the project, or a union's own via ``--templates DIR``) laid out
as ``templates/README.md`` describes. :func:`load_templates` checks the whole set before anything renders:
every remedy id of the taxonomy has a template defining the ``section`` and ``carve_out`` blocks, the frame
exists, every template parses, and the jurisdiction table has every code and key.

Rendering uses the sandbox of :mod:`castguard.templating.sandbox` (``ImmutableSandboxedEnvironment`` with
``StrictUndefined``; every ``{{ expression }}`` escaped for Markdown, only text castguard rendered itself passes
through). A playbook checks its own remedy templates there when it loads.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from ..classify.taxonomy import GAPS
from ..errors import TemplateError
from ..templating.sandbox import MAX_TEMPLATE_BYTES, REMEDY_BLOCKS, environment, passthrough
from .deal import JURISDICTIONS

if TYPE_CHECKING:
    from jinja2.sandbox import ImmutableSandboxedEnvironment

    from ..playbooks import Playbook

__all__ = ["JURISDICTION_KEYS", "TemplateSet", "load_templates", "templates_dir"]

FRAME = "addendum.md.j2"
JURISDICTION_FILE = "jurisdictions.toml"
JURISDICTION_KEYS = (
    "name",
    "replica_law",
    "post_mortem_law",
    "labelling_law",
    "minors_law",
    "publicity_law",
    "data_law",
    "governing_law_clause",
)


def templates_dir() -> Path:
    """The project's ``templates/`` (source tree), or the copy installed inside the package."""
    import importlib.resources

    packaged = Path(str(importlib.resources.files("castguard"))) / "templates"  # inside the installed wheel
    checkout = Path(__file__).resolve().parents[3] / "templates"  # the source folder, in a checkout
    for candidate in (packaged, checkout):
        if (candidate / FRAME).exists():
            return candidate
    return packaged


def _remedy_ids() -> list[str]:
    return sorted({g.remedy for g in GAPS.values()})


@dataclass
class TemplateSet:
    path: Path
    env: ImmutableSandboxedEnvironment
    jurisdictions: dict[str, dict[str, str]]

    def _fail(self, name: str, exc: Exception) -> TemplateError:
        line = getattr(exc, "lineno", None)
        where = f"{name}, line {line}" if line else name
        return TemplateError(
            f"template {where} failed to render: {exc}; fix the template or use the default set",
            path=str(self.path),
        )

    def law(self, code: str) -> dict:
        entry = dict(self.jurisdictions[code])
        entry["code"] = code
        return entry

    def render_block(self, name: str, block: str, context: dict) -> str:
        from jinja2 import TemplateError as JinjaError

        template = self.env.get_template(name)
        try:
            return "".join(template.blocks[block](template.new_context(context)))
        except (JinjaError, TypeError, ValueError, AttributeError) as exc:
            raise self._fail(name, exc) from None

    def render(self, name: str, context: dict) -> str:
        from jinja2 import TemplateError as JinjaError

        try:
            return self.env.get_template(name).render(context)
        except (JinjaError, TypeError, ValueError, AttributeError) as exc:
            raise self._fail(name, exc) from None

    def has(self, name: str) -> bool:
        from jinja2 import TemplateNotFound

        try:
            self.env.get_template(name)
        except TemplateNotFound:
            return False
        return True

    @staticmethod
    def passthrough(text: str) -> str:
        return passthrough(text)


def _read_jurisdictions(folder: Path) -> dict[str, dict[str, str]]:
    path = folder / JURISDICTION_FILE
    if not path.is_file():
        raise TemplateError(
            f"the template set has no {JURISDICTION_FILE}; copy it from the default set", path=str(folder)
        )
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise TemplateError(f"{JURISDICTION_FILE} is not valid UTF-8 TOML ({exc})", path=str(path)) from None
    out = {}
    for code in JURISDICTIONS:
        entry = data.get(code)
        if not isinstance(entry, dict):
            raise TemplateError(
                f"{JURISDICTION_FILE} has no [{code}] table; every jurisdiction code needs one", path=str(path)
            )
        missing = [k for k in JURISDICTION_KEYS if not isinstance(entry.get(k), str)]
        if missing:
            raise TemplateError(f"[{code}] in {JURISDICTION_FILE} lacks text for: {', '.join(missing)}", path=str(path))
        out[code] = {k: entry[k] for k in JURISDICTION_KEYS}
    return out


def load_templates(folder: str | Path | None = None, playbook: Playbook | None = None) -> TemplateSet:
    """Open and validate a template set; raises TemplateError naming everything that is missing or broken.

    The default set is loaded and compiled once per process (a batch renders thousands of reports). A
    ``playbook`` whose gaps point at remedy templates of its own adds them (checked when the playbook loaded),
    rendered in the same sandbox as the set's."""
    base = _default_templates() if folder is None else _load_templates(Path(folder))
    if playbook is None or not playbook.templates:
        return base
    return _with_playbook_templates(base, playbook)


def _with_playbook_templates(base: TemplateSet, playbook: Playbook) -> TemplateSet:
    """``base`` plus the playbook's own remedy templates, as ``remedies/<name>.md.j2``."""
    from jinja2 import ChoiceLoader, FileSystemLoader, PrefixLoader

    folders = {path.parent for path in playbook.templates.values()}
    own = PrefixLoader({"remedies": ChoiceLoader([FileSystemLoader(str(f)) for f in sorted(folders)])})
    if base.env.loader is None:
        raise TemplateError("the built-in template set has no loader", path=str(base.path))
    env = environment(ChoiceLoader([base.env.loader, own]))
    return TemplateSet(base.path, env, base.jurisdictions)


@lru_cache(maxsize=1)
def _default_templates() -> TemplateSet:
    return _load_templates(templates_dir())


def _load_templates(folder: Path) -> TemplateSet:
    from jinja2 import FileSystemLoader, TemplateSyntaxError

    if not folder.is_dir():
        raise TemplateError("the template folder does not exist; give --templates an existing folder", path=str(folder))
    names = [FRAME] + [f"remedies/{r}.md.j2" for r in _remedy_ids()]
    missing = [n for n in names if not (folder / n).is_file()]
    if missing:
        raise TemplateError(
            f"the template set is incomplete; missing: {', '.join(missing)} (every remedy id needs a template; "
            "see templates/README.md)",
            path=str(folder),
        )
    base = folder.resolve()
    for n in names + [JURISDICTION_FILE]:
        target = (folder / n).resolve()
        if (folder / n).exists() and target != base and base not in target.parents:
            raise TemplateError(
                f"template {n} is a link to a file outside the template folder; not followed (copy the file in)",
                path=str(folder),
            )
    for n in names:
        if (folder / n).stat().st_size > MAX_TEMPLATE_BYTES:
            raise TemplateError(f"template {n} is larger than {MAX_TEMPLATE_BYTES} bytes", path=str(folder))
    env = environment(FileSystemLoader(str(folder)))  # the loader refuses names outside the folder ("../x")
    for n in names:
        try:
            template = env.get_template(n)
        except TemplateSyntaxError as exc:
            raise TemplateError(f"template {n}, line {exc.lineno}: {exc.message}", path=str(folder)) from None
        except UnicodeDecodeError:
            raise TemplateError(f"template {n} is not UTF-8 text", path=str(folder)) from None
        if n != FRAME:
            lacking = [b for b in REMEDY_BLOCKS if b not in template.blocks]
            if lacking:
                raise TemplateError(
                    f"template {n} does not define the block(s) {', '.join(lacking)}; see templates/README.md",
                    path=str(folder),
                )
    return TemplateSet(folder, env, _read_jurisdictions(folder))
