"""A static accessibility check of the basics, in pure Python over the HTML source (html.parser, no network).

    from tools.a11y import check_html, check_file, contrast
    assert check_html(page_source) == []          # each problem is a str "[kind] message (line N)"

Problems are ``Problem`` objects: plain ``str`` (so a failing assert prints readable lines) with a ``.kind``:

    main           not exactly one <main> (or role="main")
    banner         no page-level <header> / role="banner" (skip with require_banner=False)
    nav            >= 2 in-page (#id) links (a table of contents) but no <nav> / role="navigation"
    lang           <html> without a non-empty lang
    title          no non-empty <title>
    heading-order  the first heading is not h1, or a level is skipped going down (h2 -> h4)
    h1-count       not exactly one h1
    heading-empty  a heading with no text
    img-alt        <img> without an alt attribute (alt="" is fine: it marks a decorative image)
    svg-role       an <svg> not aria-hidden="true" without role="img"
    svg-name       such an <svg> without aria-label, a working aria-labelledby, or a <title> child
    form-label     input/select/textarea without <label for>, a wrapping <label>, aria-label or aria-labelledby
    button-name    <button> / input button without text, value or aria-label
    link-name      <a href> without text (an img alt or svg title inside counts) or aria-label(ledby)
    duplicate-id   an id used more than once
    broken-link    href="#x" with no element id="x" (or <a name="x">); "#" and "#top" are allowed
    contrast       a colour pair below 4.5:1 (WCAG 2.x relative luminance)

What the contrast check sees: the inline <style> blocks and style="" attributes only. A rule (or style
attribute) that sets both ``color`` and ``background``/``background-color`` is checked as a pair; the
page's text colour (the last ``color`` on html/:root/body, default black) is checked against its background
(the last background on body, then html/:root, default white). Colours may be hex (#rgb, #rgba, #rrggbb,
#rrggbbaa), rgb()/rgba() (comma or space syntax), the CSS named colours in NAMED_COLOURS, or var(--x)
resolved from custom properties set on :root/html/body (fallbacks honoured). Each @media block (print,
prefers-color-scheme: dark, ...) gets a pass of its own: the top-level rules plus the block's rules, with the
custom properties the block redefines, so a dark theme that only swaps variables is checked too. A
translucent foreground is blended over its background, a translucent background over the page background. With ``color_only_rules=True`` a rule that sets only ``color`` is also checked against the
page background (catches grey-on-white text, but can flag text that in fact sits on a coloured box).

Limits (this is NOT axe-core, and no substitute for a browser-based audit or a person with a screen
reader): no cascade, specificity, inheritance or selector matching, so it cannot tell which background an
element actually sits on, nor see colours set by external stylesheets, scripts, images or gradients (a
background with a gradient or url() and no plain colour is skipped); the 3:1 large-text exception is not
applied (every pair must reach 4.5:1); elements hidden by CSS are still checked (only <template> content and
what the parser treats as text - <script>, <style> - is skipped; an aria-hidden="true" subtree is skipped
for the svg check only); the accessible name is approximated (no role-specific rules, no CSS generated
content, no title-attribute fallback); ARIA roles, states and widget patterns, focus order, keyboard
operation, landmarks beyond main/banner/navigation, tables, and language of parts are not checked. HTML
that html.parser cannot nest (unclosed elements other than the usual optional end tags) may confuse the
tree, hence the line numbers in every message.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote

MIN_CONTRAST = 4.5

VOID = {
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source", "track", "wbr",
}  # fmt: skip
# elements whose end tag may be left out: a new start tag of one of these closes the open one
AUTO_CLOSE = {
    "p": {"p", "div", "ul", "ol", "table", "h1", "h2", "h3", "h4", "h5", "h6", "section", "header", "footer", "nav",
          "main", "article", "aside", "pre", "blockquote", "form", "dl", "figure", "details", "hr"},
    "li": {"li"},
    "dt": {"dt", "dd"},
    "dd": {"dt", "dd"},
    "tr": {"tr"},
    "td": {"td", "th", "tr"},
    "th": {"td", "th", "tr"},
    "option": {"option", "optgroup"},
    "thead": {"tbody", "tfoot"},
    "tbody": {"tbody", "tfoot"},
}  # fmt: skip
HEADINGS = {f"h{n}": n for n in range(1, 7)}
LABELLABLE = {"input", "select", "textarea"}
BUTTON_INPUTS = {"submit", "reset", "button"}
UNLABELLED_INPUTS = {"hidden"}
SECTIONING = {"article", "aside", "main", "nav", "section"}  # a <header> inside one of these is no banner

NAMED_COLOURS = {
    "black": "#000000", "silver": "#c0c0c0", "gray": "#808080", "grey": "#808080", "white": "#ffffff",
    "maroon": "#800000", "red": "#ff0000", "purple": "#800080", "fuchsia": "#ff00ff", "magenta": "#ff00ff",
    "green": "#008000", "lime": "#00ff00", "olive": "#808000", "yellow": "#ffff00", "navy": "#000080",
    "blue": "#0000ff", "teal": "#008080", "aqua": "#00ffff", "cyan": "#00ffff", "orange": "#ffa500",
    "darkgray": "#a9a9a9", "darkgrey": "#a9a9a9", "lightgray": "#d3d3d3", "lightgrey": "#d3d3d3",
    "dimgray": "#696969", "dimgrey": "#696969", "gainsboro": "#dcdcdc", "whitesmoke": "#f5f5f5",
    "darkred": "#8b0000", "darkgreen": "#006400", "darkblue": "#00008b", "transparent": "#00000000",
}  # fmt: skip


class Problem(str):
    """One finding: a str "[kind] message" with the kind also as an attribute."""

    kind: str

    def __new__(cls, kind: str, message: str) -> Problem:
        obj = super().__new__(cls, f"[{kind}] {message}")
        obj.kind = kind
        return obj


# --------------------------------------------------------------------------- a small tree from html.parser


@dataclass(eq=False)
class Node:
    tag: str
    attrs: dict[str, str]
    line: int
    parent: Node | None = None
    children: list = field(default_factory=list)  # Node or str

    def get(self, name: str) -> str | None:
        return self.attrs.get(name)

    def iter(self):
        yield self
        for child in self.children:
            if isinstance(child, Node):
                yield from child.iter()

    def ancestors(self):
        node = self.parent
        while node is not None:
            yield node
            node = node.parent

    def text(self) -> str:
        """Text content plus the alt of <img> and the <title> of <svg> inside: a rough accessible name."""
        parts: list[str] = []
        for child in self.children:
            if isinstance(child, str):
                parts.append(child)
            elif child.get("aria-hidden") == "true":
                continue
            elif child.tag == "img":
                parts.append(child.get("alt") or "")
            elif child.tag == "svg":
                parts.append(child.get("aria-label") or _svg_title(child))
            else:
                parts.append(child.text())
        return " ".join(" ".join(parts).split())


class _TreeBuilder(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = Node("#document", {}, 0)
        self.stack = [self.root]
        self.styles: list[tuple[str, int]] = []  # (css, line)
        self._in_style: int | None = None
        self._template_depth = 0

    def handle_starttag(self, tag: str, attrs) -> None:
        tag = tag.lower()
        if self._template_depth:
            if tag == "template":
                self._template_depth += 1
            return
        if tag == "template":
            self._template_depth = 1
            return
        closes = {t for t, by in AUTO_CLOSE.items() if tag in by}
        while len(self.stack) > 1 and self.stack[-1].tag in closes:
            self.stack.pop()
        node = Node(tag, {k.lower(): (v if v is not None else "") for k, v in attrs}, self.getpos()[0], self.stack[-1])
        self.stack[-1].children.append(node)
        if tag == "style":
            self._in_style = node.line
        if tag not in VOID:
            self.stack.append(node)

    def handle_startendtag(self, tag: str, attrs) -> None:
        self.handle_starttag(tag, attrs)
        if tag.lower() not in VOID and not self._template_depth and self.stack[-1].tag == tag.lower():
            self.stack.pop()  # <svg/>, <path/>, <title/> ... in foreign content

    def handle_endtag(self, tag: str) -> None:
        tag = tag.lower()
        if self._template_depth:
            if tag == "template":
                self._template_depth -= 1
            return
        if tag == "style":
            self._in_style = None
        for i in range(len(self.stack) - 1, 0, -1):
            if self.stack[i].tag == tag:
                del self.stack[i:]
                return
        # a stray end tag: ignored, as browsers do

    def handle_data(self, data: str) -> None:
        if self._template_depth:
            return
        if self._in_style is not None:
            self.styles.append((data, self._in_style))
            return
        if self.stack[-1].tag == "script":
            return
        self.stack[-1].children.append(data)


def parse(html: str) -> tuple[Node, list[tuple[str, int]]]:
    builder = _TreeBuilder()
    builder.feed(html)
    builder.close()
    return builder.root, builder.styles


def _svg_title(svg: Node) -> str:
    for child in svg.children:
        if isinstance(child, Node) and child.tag == "title":
            return child.text()
    return ""


# --------------------------------------------------------------------------- the checks


def check_file(path: str | Path, **options) -> list[Problem]:
    return check_html(Path(path).read_text(encoding="utf-8"), **options)


def check_html(html: str, *, require_banner: bool = True, color_only_rules: bool = False) -> list[Problem]:
    """Every problem found in the page (see the module docstring); an empty list means it passed."""
    root, styles = parse(html)
    nodes = [n for n in root.iter() if n is not root]
    ids: dict[str, list[Node]] = {}
    for node in nodes:
        if node.get("id") is not None:
            ids.setdefault(node.get("id"), []).append(node)
    problems: list[Problem] = []

    def name_from_labelledby(node: Node) -> str:
        refs = (node.get("aria-labelledby") or "").split()
        return " ".join(ids[r][0].text() for r in refs if r in ids).strip()

    def has_name(node: Node) -> bool:
        return bool((node.get("aria-label") or "").strip() or name_from_labelledby(node))

    # landmarks and document
    mains = [n for n in nodes if n.tag == "main" or n.get("role") == "main"]
    if len(mains) != 1:
        problems.append(Problem("main", f"expected exactly one <main>, found {len(mains)}"))
    banners = [
        n
        for n in nodes
        if n.get("role") == "banner" or (n.tag == "header" and not any(a.tag in SECTIONING for a in n.ancestors()))
    ]
    if require_banner and not banners:
        problems.append(Problem("banner", "no page-level <header> (banner landmark)"))
    in_page = [n for n in nodes if n.tag == "a" and (n.get("href") or "").startswith("#") and len(n.get("href")) > 1]
    if len(in_page) >= 2 and not any(n.tag == "nav" or n.get("role") == "navigation" for n in nodes):
        problems.append(Problem("nav", f"{len(in_page)} in-page links (a table of contents?) but no <nav> landmark"))
    html_el = next((n for n in nodes if n.tag == "html"), None)
    if html_el is None or not (html_el.get("lang") or "").strip():
        problems.append(Problem("lang", "<html> has no lang attribute"))
    if not any(n.tag == "title" and n.text() for n in nodes if not any(a.tag == "svg" for a in n.ancestors())):
        problems.append(Problem("title", "no non-empty <title> in the document"))

    # headings
    headings = [n for n in nodes if n.tag in HEADINGS]
    h1s = [n for n in headings if n.tag == "h1"]
    if len(h1s) != 1:
        problems.append(Problem("h1-count", f"expected exactly one <h1>, found {len(h1s)}"))
    previous = 0
    for h in headings:
        level = HEADINGS[h.tag]
        if previous == 0 and level != 1:
            problems.append(
                Problem("heading-order", f"the first heading is <{h.tag}> {h.text()!r}, not <h1> (line {h.line})")
            )
        elif previous and level > previous + 1:
            problems.append(
                Problem(
                    "heading-order",
                    f"<h{previous}> is followed by <{h.tag}> {h.text()!r}: skips a level (line {h.line})",
                )
            )
        if not h.text():
            problems.append(Problem("heading-empty", f"<{h.tag}> has no text (line {h.line})"))
        previous = level

    # images, svg
    for n in nodes:
        if n.tag == "img" and n.get("alt") is None:
            problems.append(Problem("img-alt", f"<img src={n.get('src')!r}> has no alt (line {n.line})"))
        if n.tag == "svg" and not any(a.tag == "svg" for a in n.ancestors()):
            if n.get("aria-hidden") == "true" or any(a.get("aria-hidden") == "true" for a in n.ancestors()):
                continue
            if n.get("role") != "img":
                problems.append(
                    Problem(
                        "svg-role", f'<svg> without role="img" (or aria-hidden="true" if decorative) (line {n.line})'
                    )
                )
            if not (has_name(n) or _svg_title(n)):
                problems.append(
                    Problem(
                        "svg-name",
                        f"<svg> has no accessible name (aria-label, aria-labelledby or <title>) (line {n.line})",
                    )
                )

    # form controls and buttons
    label_for = {n.get("for") for n in nodes if n.tag == "label" and n.get("for")}
    for n in nodes:
        kind = (n.get("type") or "text").lower()
        if n.tag == "button" or (n.tag == "input" and kind in BUTTON_INPUTS):
            if not (n.text() or has_name(n) or (n.tag == "input" and (n.get("value") or "").strip())):
                problems.append(Problem("button-name", f"<{n.tag}> has no text or aria-label (line {n.line})"))
            continue
        if n.tag == "input" and kind == "image":
            if not ((n.get("alt") or "").strip() or has_name(n)):
                problems.append(Problem("button-name", f'<input type="image"> has no alt (line {n.line})'))
            continue
        if n.tag not in LABELLABLE or kind in UNLABELLED_INPUTS:
            continue
        labelled = (
            (n.get("id") and n.get("id") in label_for) or any(a.tag == "label" for a in n.ancestors()) or has_name(n)
        )
        if not labelled:
            what = f'<input type="{kind}"' if n.tag == "input" else f"<{n.tag}"
            what += (
                (f" name={n.get('name')!r}>" if n.get("name") else ">")
                if n.get("id") is None
                else f" id={n.get('id')!r}>"
            )
            problems.append(Problem("form-label", f"{what} has no label (line {n.line})"))

    # links
    for n in nodes:
        if n.tag == "a" and n.get("href") is not None and not (n.text() or has_name(n)):
            problems.append(
                Problem("link-name", f"<a href={n.get('href')!r}> has no text or aria-label (line {n.line})")
            )

    # ids and in-page links
    for ident, owners in ids.items():
        if len(owners) > 1:
            lines = ", ".join(str(o.line) for o in owners)
            problems.append(Problem("duplicate-id", f"id={ident!r} is used {len(owners)} times (lines {lines})"))
    anchors = {n.get("name") for n in nodes if n.tag == "a" and n.get("name")}
    for n in in_page:
        target = unquote(n.get("href")[1:])
        if target not in ids and target not in anchors and target.lower() != "top":
            problems.append(
                Problem("broken-link", f"<a href={n.get('href')!r}>: no element has id={target!r} (line {n.line})")
            )

    # colour contrast
    inline = [(n.get("style"), n.line, f"<{n.tag} style>") for n in nodes if n.get("style")]
    problems.extend(contrast_problems(styles, inline, color_only_rules=color_only_rules))
    return problems


# --------------------------------------------------------------------------- colour


def _hex(value: str) -> tuple[float, float, float, float] | None:
    h = value.lstrip("#")
    if not re.fullmatch(r"[0-9a-fA-F]{3,8}", h) or len(h) not in (3, 4, 6, 8):
        return None
    if len(h) in (3, 4):
        h = "".join(c * 2 for c in h)
    r, g, b = (int(h[i : i + 2], 16) for i in (0, 2, 4))
    a = int(h[6:8], 16) / 255 if len(h) == 8 else 1.0
    return r, g, b, a


def parse_color(value: str) -> tuple[float, float, float, float] | None:
    """(r, g, b, alpha) with r, g, b in 0..255 from a hex, rgb()/rgba() or named colour; None if not one."""
    v = value.strip().lower()
    if v in NAMED_COLOURS:
        return _hex(NAMED_COLOURS[v])
    if v.startswith("#"):
        return _hex(v)
    m = re.fullmatch(r"rgba?\((.*)\)", v)
    if not m:
        return None
    parts = [p for p in re.split(r"[\s,/]+", m.group(1).strip()) if p]
    if len(parts) not in (3, 4):
        return None
    try:
        rgb = [float(p[:-1]) * 255 / 100 if p.endswith("%") else float(p) for p in parts[:3]]
        alpha = 1.0
        if len(parts) == 4:
            alpha = float(parts[3][:-1]) / 100 if parts[3].endswith("%") else float(parts[3])
    except ValueError:
        return None
    r, g, b = (min(255.0, max(0.0, c)) for c in rgb)
    return r, g, b, min(1.0, max(0.0, alpha))


def _luminance(rgb: tuple[float, ...]) -> float:
    def channel(c: float) -> float:
        c /= 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(c) for c in rgb[:3])
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def _blend(top: tuple[float, ...], bottom: tuple[float, ...]) -> tuple[float, float, float, float]:
    a = top[3]
    return tuple(top[i] * a + bottom[i] * (1 - a) for i in range(3)) + (1.0,)


def contrast(fg_hex: str, bg_hex: str) -> float:
    """WCAG 2.x contrast ratio (1.0 .. 21.0) of two colours (hex, or anything parse_color reads).
    A translucent foreground is blended over the background, a translucent background over white."""
    fg, bg = parse_color(fg_hex), parse_color(bg_hex)
    if fg is None or bg is None:
        raise ValueError(f"not a colour: {fg_hex if fg is None else bg_hex!r}")
    bg = _blend(bg, (255, 255, 255, 1.0))
    fg = _blend(fg, bg)
    hi, lo = sorted((_luminance(fg), _luminance(bg)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


# --------------------------------------------------------------------------- a small CSS reader


@dataclass
class _Rule:
    selector: str
    decls: dict[str, str]  # last value wins, !important stripped
    line: int
    media: str | None  # the @media prelude, or None at top level


def _declarations(block: str) -> dict[str, str]:
    decls: dict[str, str] = {}
    for part in block.split(";"):
        if ":" not in part:
            continue
        prop, value = part.split(":", 1)
        value = re.sub(r"!\s*important\s*$", "", value.strip(), flags=re.I).strip()
        decls[prop.strip().lower() if not prop.strip().startswith("--") else prop.strip()] = value
    return decls


def parse_css(css: str, line: int = 1, media: str | None = None) -> list[_Rule]:
    """Flat list of style rules, descending into @media/@supports/@layer blocks; other at-rules skipped."""
    rules: list[_Rule] = []
    css = re.sub(r"/\*.*?\*/", lambda m: "\n" * m.group(0).count("\n"), css, flags=re.S)
    i, n = 0, len(css)
    while i < n:
        brace = css.find("{", i)
        semi = css.find(";", i)
        if brace == -1:
            break
        if semi != -1 and semi < brace and css[i:semi].strip().startswith("@"):  # @import ...; @charset ...;
            i = semi + 1
            continue
        depth, j = 1, brace + 1
        while j < n and depth:
            depth += {"{": 1, "}": -1}.get(css[j], 0)
            j += 1
        prelude = css[i:brace].strip()
        body = css[brace + 1 : j - 1]
        at_line = line + css.count("\n", 0, brace)
        if prelude.startswith("@"):
            keyword = prelude.split()[0].lower() if prelude.split() else ""
            if keyword in ("@media", "@supports", "@layer", "@container", "@document"):
                inner = prelude if keyword == "@media" else media
                rules.extend(parse_css(body, at_line, inner))
        elif prelude:
            rules.append(_Rule(" ".join(prelude.split()), _declarations(body), at_line, media))
        i = j
    return rules


def _resolve(value: str, variables: dict[str, str], depth: int = 0) -> str:
    """Replace var(--name[, fallback]) by the custom property's value (or the fallback, or "")."""
    start = value.find("var(")
    if start == -1 or depth > 20:
        return value
    level, end = 0, start + 3
    for end in range(start + 3, len(value)):
        level += {"(": 1, ")": -1}.get(value[end], 0)
        if level == 0:
            break
    inner = value[start + 4 : end]
    name, _, fallback = inner.partition(",")
    name = name.strip()
    replacement = variables.get(name, fallback.strip())
    return _resolve(value[:start] + replacement + value[end + 1 :], variables, depth + 1)


def _background_colour(decls: dict[str, str], variables: dict[str, str]) -> tuple[str, str] | None:
    """(text, "skip"|"ok") for the rule's background colour; None when it sets no background."""
    for prop in ("background-color", "background"):
        if prop in decls:
            value = _resolve(decls[prop], variables).strip()
            if prop == "background-color":
                return value, "ok"
            colour = _first_colour(value)
            if colour:
                return colour, "ok"
            return value, "skip"  # gradient / image / none / inherit: we cannot know the colour
    return None


_COLOUR_TOKEN = re.compile(r"#[0-9a-fA-F]{3,8}\b|rgba?\([^()]*\)|\b[a-zA-Z]+\b")


def _first_colour(value: str) -> str | None:
    if "gradient(" in value or "url(" in value:
        stripped = re.sub(r"[\w-]*gradient\((?:[^()]|\([^()]*\))*\)|url\([^()]*\)", " ", value)
    else:
        stripped = value
    for token in _COLOUR_TOKEN.findall(stripped):
        if parse_color(token):
            return token
    return None


_PAGE_SELECTORS = {"html", ":root", "body"}
_INLINE_PAGE = {"<body style>": {"body"}, "<html style>": {"html"}}


def _page_parts(selector: str) -> set[str]:
    """Which of html, :root, body a selector (list) names; a style attribute on <body>/<html> counts too."""
    if selector in _INLINE_PAGE:
        return _INLINE_PAGE[selector]
    return {s.strip() for s in selector.split(",")} & _PAGE_SELECTORS


def _only_page(selector: str) -> bool:
    return selector in _INLINE_PAGE or {s.strip() for s in selector.split(",")} <= _PAGE_SELECTORS


def _ratio(fg: tuple[float, ...], bg: tuple[float, ...]) -> float:
    hi, lo = sorted((_luminance(_blend(fg, bg)), _luminance(bg)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


def contrast_problems(
    styles: list[tuple[str, int]], inline: list[tuple[str, int, str]] = (), *, color_only_rules: bool = False
) -> list[Problem]:
    """Contrast problems in <style> blocks [(css, line)] and style attributes [(declarations, line, where)]."""
    rules: list[_Rule] = []
    for css, line in styles:
        rules.extend(parse_css(css, line))
    rules.extend(_Rule(where, _declarations(decls), line, None) for decls, line, where in inline)

    # one pass for the top level, then one per @media block (top-level rules + its own, with its custom properties)
    media_blocks = list(dict.fromkeys(r.media for r in rules if r.media is not None))
    problems: list[Problem] = []
    seen: set[tuple] = set()

    def report(key: tuple, message: str) -> None:
        if key not in seen:
            seen.add(key)
            problems.append(Problem("contrast", message))

    for media in [None, *media_blocks]:
        applicable = [r for r in rules if r.media is None or r.media == media]
        variables: dict[str, str] = {}
        for rule in applicable:  # the block's own custom properties win over the top level's (order ignored)
            if rule.media is None and _page_parts(rule.selector):
                variables.update({k: v for k, v in rule.decls.items() if k.startswith("--")})
        for rule in applicable:
            if rule.media is not None and _page_parts(rule.selector):
                variables.update({k: v for k, v in rule.decls.items() if k.startswith("--")})
        where = f" under {media}" if media else ""

        page_fg, page_bg = _page_colours(applicable, variables)
        fg, bg = parse_color(page_fg[0]), parse_color(page_bg[0])
        page_bg_rgba = _blend(bg, (255, 255, 255, 1.0))
        ratio = _ratio(fg, page_bg_rgba)
        if ratio < MIN_CONTRAST:
            report(
                ("page", page_fg, page_bg),
                f"page text {page_fg[0]} on page background {page_bg[0]}{where}: {ratio:.2f}:1 < {MIN_CONTRAST}:1 "
                f"(text colour: {page_fg[1]}, background: {page_bg[1]})",
            )

        for rule in applicable:
            if "color" not in rule.decls or _only_page(rule.selector):
                continue  # html/:root/body colours are the page pair above
            fg_text = _resolve(rule.decls["color"], variables).strip()
            fg = parse_color(fg_text)
            if fg is None:
                continue  # inherit, currentColor, a colour function we do not read
            found = _background_colour(rule.decls, variables)
            if found is None:
                if not color_only_rules:
                    continue
                bg_text, bg = f"the page background {page_bg[0]}", page_bg_rgba
            else:
                bg_text, status = found
                if status == "skip" or parse_color(bg_text) is None:
                    continue
                bg = _blend(parse_color(bg_text), page_bg_rgba)
            ratio = _ratio(fg, bg)
            if ratio < MIN_CONTRAST:
                report(
                    (rule.line, rule.selector, fg_text, bg_text),
                    f"{rule.selector}{where}: {fg_text} on {bg_text}: {ratio:.2f}:1 < {MIN_CONTRAST}:1 (line {rule.line})",
                )
    return problems


def _page_colours(rules: list[_Rule], variables: dict[str, str]) -> tuple[tuple[str, str], tuple[str, str]]:
    """((text colour, where set), (background colour, where set)): the last set on html/:root/body, the
    background preferring body's; defaults black on white."""
    fg = ("#000000", "browser default")
    body_bg = root_bg = None
    for rule in rules:
        parts = _page_parts(rule.selector)
        if not parts:
            continue
        where = f"{rule.selector} line {rule.line}"
        if "color" in rule.decls:
            value = _resolve(rule.decls["color"], variables).strip()
            if parse_color(value):
                fg = (value, where)
        found = _background_colour(rule.decls, variables)
        if found and found[1] == "ok" and parse_color(found[0]):
            if "body" in parts:
                body_bg = (found[0], where)
            else:
                root_bg = (found[0], where)
    return fg, body_bg or root_bg or ("#ffffff", "browser default")
