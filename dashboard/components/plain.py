"""Text a person typed or a file carried, made safe for Streamlit's Markdown.

Streamlit renders Markdown in `st.markdown`, `st.caption`, `st.error`/`warning`/`info`/`success`,
headings, expander, tab, metric and radio labels: images (`![x](http://...)` makes the reader's
browser fetch a URL), links, raw HTML, `:red[...]` colour directives, `:material/...:` icons and
LaTeX `$...$`. Where layout allows, pages show such text with `st.text`; everywhere else it goes
through one of these functions first, so the reader sees exactly the characters that were typed.
"""

from __future__ import annotations

import html
import math
import re
import string

# CommonMark lets any ASCII punctuation character be backslash-escaped and then shows it
# literally; escaping all of them (not a hand-picked list) also covers GFM autolinks
# (`www.`, `http://`, `a@b.org`), Streamlit's directives (`:red[`), icons (`:material/`) and
# math (`$`), whose syntax is built from these characters.
_PUNCTUATION = re.compile("[" + re.escape(string.punctuation) + "]")
_LINE_BREAKS = re.compile(r"\r\n|\r|\n")
# GFM's autolink literals (`http://...`, `www.x`, `a@b.org`) are found in the parsed text, after
# escapes have been undone, so escaping cannot stop them. An invisible WORD JOINER (U+2060) inside
# each trigger does: `http⁠:`, `www⁠.` and `⁠@` no longer match, and the reader sees no difference.
WORD_JOINER = "\u2060"
_AUTOLINK_TRIGGERS = re.compile(r"(?i)(?:https?(?=:)|www(?=\.))|(?=@)")


def _as_text(value: object) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    if value.__class__.__name__ in {"NAType", "NaTType"}:  # pandas' missing values
        return ""
    return str(value)


def escape_markdown(value: object) -> str:
    """`value` as Markdown source that Streamlit shows as the literal text, line breaks kept.

    Each line's leading spaces and tabs are dropped (four of them would start a code block), and
    a WORD JOINER is put into anything GFM would turn into a link. None and missing values give
    "".
    """
    text = _AUTOLINK_TRIGGERS.sub(lambda m: m.group() + WORD_JOINER, _as_text(value))
    lines = _LINE_BREAKS.split(text)
    # Two trailing spaces make a hard line break, so a typed new line stays a new line.
    return "  \n".join(_PUNCTUATION.sub(r"\\\g<0>", line.lstrip(" \t")) for line in lines)


def escape_inline(value: object) -> str:
    """`value` on one line (runs of whitespace become one space), escaped for Markdown.

    For headings, list items, bold lead-ins and widget labels, where a new line would end the
    element and start a new one.
    """
    return escape_markdown(" ".join(_as_text(value).split()))


def escape_html(value: object) -> str:
    """`value` for the inside of an HTML block (`unsafe_allow_html`): HTML-escaped, with ":"
    as an entity too, because Streamlit rewrites `:material/` in the raw source before parsing
    and the reader would see `:material_` instead of what was typed."""
    return html.escape(_as_text(value)).replace(":", "&#58;")
