"""How deeply the elements of an HTML page nest, estimated in one linear scan without parsing.

The clean stage parses HTML with libxml2, which stops building the tree 255 levels down
and silently drops everything deeper; recursive code over a tree that deep may also blow
Python's recursion limit. Pages nested past a cap are refused at the source instead, with a
reason. The estimate follows HTML's own rules closely enough: void elements (`<br>`),
self-closed tags, elements whose end tag may be left out (`<p>`, `<li>`, `<td>`...) and the
contents of comments, scripts and styles do not count; an end tag closes up to its element.
"""

from __future__ import annotations

import re

_TAG = re.compile(r"<(!--|/?)([a-z][a-z0-9:_-]*)?")
VOID = frozenset({"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source",
                  "track", "wbr", "basefont", "bgsound", "frame", "keygen", "image", "isindex"})
OPTIONAL_END = frozenset({"p", "li", "dt", "dd", "option", "optgroup", "tr", "td", "th", "thead", "tbody",
                          "tfoot", "colgroup", "caption", "rb", "rt", "rtc", "rp", "html", "head", "body"})
RAW_TEXT = frozenset({"script", "style", "textarea", "title", "xmp", "iframe", "noembed", "noframes", "plaintext"})


def nested_deeper(html: str, limit: int) -> bool:
    """True when the elements of `html` nest more than `limit` levels deep."""
    if html.count("<") <= limit:
        return False
    lower = html.lower()
    stack: list[str] = []
    pos = 0
    while (match := _TAG.search(lower, pos)) is not None:
        opener, name = match[1], match[2]
        if opener == "!--":
            end = lower.find("-->", match.end())
            if end < 0:
                break
            pos = end + 3
            continue
        pos = match.end()
        if not name:
            continue
        close = lower.find(">", pos)
        if close < 0:
            break
        if opener == "/":
            if name in stack:
                del stack[len(stack) - 1 - stack[::-1].index(name):]
            pos = close + 1
            continue
        pos = close + 1
        if name in RAW_TEXT:
            end = lower.find(f"</{name}", pos)
            if end < 0:
                break
            pos = end
        elif name not in VOID and name not in OPTIONAL_END and lower[close - 1] != "/":
            stack.append(name)
            if len(stack) > limit:
                return True
    return False
