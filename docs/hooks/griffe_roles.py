"""A griffe extension that lets vnparty's docstrings render as Markdown in the API reference.

The library's docstrings are written for humans and for ``doctest``, partly in reStructuredText
habits that Markdown does not understand. This extension changes nothing in the library; it
rewrites the docstring *text* griffe hands to mkdocstrings:

* Sphinx roles (``:func:`fit_lda```, ``:class:`~vnparty.TopicModel```, ``:meth:`save```,
  ``:data:`MEASURES```, ``:mod:`vnparty.segmenters```) become inline code, linked to the API
  page of the object when the name resolves to a documented (public) vnparty object;
* doctest lines (``>>>``) outside a numpy "Examples" section become fenced ``pycon`` blocks
  (in Markdown, ``>>>`` would be a triply nested quote and ``[...]`` a link reference);
* an Attributes entry written ``name : type, description`` gets its description on its own
  line, where the numpy style expects it;
* a reST literal-block marker (``text::`` followed by an indented block) becomes ``text:``;
* free prose after a numpy parameter list (which the numpy parser would read as parameters
  named after its first word) is moved under a "Notes" heading;
* one entry for several parameters (``max_df, min_documents : float, int``) becomes one entry
  per parameter, so each gets its own type and default;
* Sphinx ``#:`` comments above a module attribute become that attribute's docstring, and
  attribute values longer than 100 characters (long regular expressions, registries) are not
  printed in the signature.

Loaded by mkdocstrings (``extensions:`` in mkdocs.yml).
"""

from __future__ import annotations

import re
from pathlib import Path

from griffe import Alias, Docstring, Extension, Module, Object

_ROLE = re.compile(r":(?:py:)?(func|class|meth|mod|data|attr|obj|exc|const):`(~?)([\w.]+)(?:\(\))?`")
_NUMPY_HEADER = re.compile(r"^-{3,}\s*$")
_PARAM_LINE = re.compile(r"^\*{0,2}[A-Za-z_][\w]*(?:\s*,\s*\*{0,2}[A-Za-z_][\w]*)*(?:\s*:.*)?$")
_PARAM_SECTIONS = {"parameters", "other parameters", "attributes", "params", "arguments",
                   "args", "keyword arguments", "methods"}


def _walk(obj: Object):
    yield obj
    for member in obj.members.values():
        if isinstance(member, Alias):
            continue
        yield from _walk(member)


class VnpartyDocstrings(Extension):
    """Markdown-friendly docstrings for vnparty (see the module docstring)."""

    def on_package(self, *, pkg: Module, loader, **kwargs) -> None:
        if pkg.name != "vnparty":
            return
        for obj in _walk(pkg):
            if obj.is_attribute and obj.docstring is None:
                text = _sphinx_comment(obj)
                if text:
                    obj.docstring = Docstring(text, lineno=obj.lineno, parent=obj,
                                              parser=loader.docstring_parser,
                                              parser_options=loader.docstring_options)
            if obj.is_attribute and obj.value is not None and len(str(obj.value)) > 100:
                obj.value = None  # a long regex or dict literal: the docstring says what it is
            if obj.docstring is not None:
                obj.docstring.value = rewrite(obj.docstring.value, obj)


# -- the rewrites --------------------------------------------------------------------------
def rewrite(text: str, obj: Object | None = None) -> str:
    """All rewrites, in order; ``obj`` resolves the names of Sphinx roles."""
    text = _prose_after_parameters(text)
    text = _split_shared_entries(text)
    text = _attribute_descriptions(text)
    text = _doctests_to_fences(text)
    text = re.sub(r"(\S)::[ \t]*$", r"\1:", text, flags=re.MULTILINE)
    text = re.sub(r"^[ \t]*::[ \t]*$", "", text, flags=re.MULTILINE)
    return _ROLE.sub(lambda m: _role(m, obj), text)


def _role(match: re.Match, obj: Object | None) -> str:
    kind, tilde, name = match.groups()
    shown = name.rsplit(".", 1)[-1] if tilde else name
    target = _resolve(name, obj) if obj is not None else None
    if target is None:
        return f"`{shown}`"
    return f"[`{shown}`][{target}]"


def _resolve(name: str, obj: Object) -> str | None:
    """Canonical path of ``name`` seen from ``obj`` when it is a public, documented vnparty
    object; otherwise None (the name is then shown as plain code)."""
    first, _, rest = name.partition(".")
    scope = obj if obj.is_module or obj.is_class else obj.parent
    try:
        base = scope.resolve(first)
    except Exception:  # noqa: BLE001 - griffe raises NameResolutionError and friends
        base = first
    path = f"{base}.{rest}" if rest else base
    collection = obj.modules_collection
    try:
        target = collection.get_member(path)
        while isinstance(target, Alias):
            target = target.final_target
    except Exception:  # noqa: BLE001
        return None
    if not target.path.startswith("vnparty"):
        return None
    node = target
    while node.parent is not None:  # up to the package: every step public
        if node.name.startswith("_"):
            return None
        if not node.is_module and node.parent.is_module and not node.is_public:
            return None
        node = node.parent
    return target.path


def _sections(lines: list[str]):
    """Name of the numpy section each line is in ("" before the first header)."""
    current, names = "", []
    for i, line in enumerate(lines):
        if i + 1 < len(lines) and _NUMPY_HEADER.match(lines[i + 1].strip()) and line.strip():
            current = line.strip().lower()
        names.append(current)
    return names


def _prose_after_parameters(text: str) -> str:
    lines = text.split("\n")
    sections = _sections(lines)
    out = []
    for i, line in enumerate(lines):
        if (sections[i] in _PARAM_SECTIONS and i > 0 and not lines[i - 1].strip()
                and line.strip() and not line[0].isspace() and not _PARAM_LINE.match(line)
                and not (i + 1 < len(lines) and _NUMPY_HEADER.match(lines[i + 1].strip()))):
            out += ["Notes", "-----"]
            for j in range(i, len(lines)):  # the rest of the section is Notes now
                if sections[j] != sections[i]:
                    break
                sections[j] = "notes"
        out.append(line)
    return "\n".join(out)


def _split_shared_entries(text: str) -> str:
    """``a, b : float, int`` (one entry for two parameters) becomes two entries, ``a : float``
    and ``b : int``, each with the shared description: griffe would otherwise give the second
    name the type pair and the first name's default."""
    lines = text.split("\n")
    sections = _sections(lines)
    out, i = [], 0
    while i < len(lines):
        line = lines[i]
        match = re.match(r"^(\w+(?:\s*,\s*\w+)+)\s*:\s*(.*)$", line)
        if sections[i] not in _PARAM_SECTIONS or not match:
            out.append(line)
            i += 1
            continue
        names = [n.strip() for n in match.group(1).split(",")]
        types = [t.strip() for t in match.group(2).split(",")]
        if len(types) != len(names):
            types = [match.group(2).strip()] * len(names)
        body = []
        i += 1
        while i < len(lines) and (not lines[i].strip() or lines[i][0].isspace()):
            body.append(lines[i])
            i += 1
        while body and not body[-1].strip():
            body.pop()
        for name, kind in zip(names, types):
            out.append(f"{name} : {kind}" if kind else name)
            out += body
        if i < len(lines) and not lines[i - 1].strip():
            out.append("")
    return "\n".join(out)


def _attribute_descriptions(text: str) -> str:
    """``name : array (k, V), rows sum to 1`` in an Attributes section: the prose after the
    type goes to the description (the numpy style wants it on the next, indented line)."""
    lines = text.split("\n")
    sections = _sections(lines)
    out = []
    for i, line in enumerate(lines):
        match = re.match(r"^(\w+)\s*:\s*(.+)$", line)
        if sections[i] == "attributes" and match:
            kind, depth = match.group(2), 0
            for position, char in enumerate(kind):
                depth += char in "([{"
                depth -= char in ")]}"
                if char == "," and depth == 0:
                    rest = kind[position + 1:].strip()
                    if len(rest.split()) >= 4:
                        indent = next((l[:len(l) - len(l.lstrip())] for l in lines[i + 1:]
                                       if l.strip() and l[0].isspace()), "    ")
                        out += [f"{match.group(1)} : {kind[:position].strip()}",
                                indent + rest[0].upper() + rest[1:]]
                        break
            else:
                out.append(line)
            continue
        out.append(line)
    return "\n".join(out)


def _doctests_to_fences(text: str) -> str:
    lines = text.split("\n")
    sections = _sections(lines)
    out, i, fence = [], 0, False
    while i < len(lines):
        line = lines[i]
        if line.lstrip().startswith(("```", "~~~")):
            fence = not fence
        if fence or sections[i] == "examples" or not line.lstrip().startswith(">>>"):
            out.append(line)
            i += 1
            continue
        indent = line[:len(line) - len(line.lstrip())]
        block = []
        while i < len(lines) and lines[i].strip():
            block.append(lines[i][len(indent):] if lines[i].startswith(indent) else lines[i])
            i += 1
        if out and out[-1].strip():
            out.append("")
        out += [indent + "```pycon"] + [indent + b for b in block] + [indent + "```", ""]
    return "\n".join(out)


def _sphinx_comment(attr: Object) -> str | None:
    """The ``#:`` comment lines right above a module or class attribute, if any."""
    try:
        source = Path(attr.filepath).read_text(encoding="utf-8").split("\n")
    except (OSError, TypeError):
        return None
    comment = []
    row = (attr.lineno or 1) - 2
    while row >= 0 and source[row].lstrip().startswith("#:"):
        comment.insert(0, source[row].lstrip()[2:].strip())
        row -= 1
    return "\n".join(comment) or None
