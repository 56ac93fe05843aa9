"""Names people type for walkers, programs and the hallway: visible text, compared loosely."""

from __future__ import annotations

import unicodedata

# Control, format (zero-width, direction overrides), surrogate, private-use and unassigned
# characters, and line or paragraph separators: nothing a name needs, all of them ways to make two
# names look alike or to break a message's layout.
_INVISIBLE_CATEGORIES = frozenset({"Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp"})
SHORT_TEXT = 40


def has_invisible(text: str) -> bool:
    """Whether ``text`` holds a character that is not shown (or not shown as itself)."""
    return any(unicodedata.category(char) in _INVISIBLE_CATEGORIES for char in text)


def visible(text: str) -> str:
    r"""``text`` with every invisible character written as its escape, e.g. ``\u200b``."""
    return "".join(
        char.encode("unicode_escape").decode()
        if unicodedata.category(char) in _INVISIBLE_CATEGORIES
        else char
        for char in text
    )


def name_key(text: str) -> str:
    """What two names must differ in to be told apart: not case, width or spacing."""
    return " ".join(unicodedata.normalize("NFKC", text).casefold().split())


def shorten(text: str, limit: int = SHORT_TEXT) -> str:
    """``text`` cut to ``limit`` characters (with an ellipsis) so a message quoting it stays short."""
    return text if len(text) <= limit else f"{text[: limit - 1]}…"
