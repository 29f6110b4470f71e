"""Language identification (py3langid), so that only English articles reach the English-only coder."""

from __future__ import annotations

from dragoman import settings


def letter_count(text: str, enough: int | None = None) -> int:
    """Letters in ``text``, counting stops at ``enough`` (a long text need not be walked to the end)."""
    count = 0
    for ch in text:
        if ch.isalpha():
            count += 1
            if enough is not None and count >= enough:
                break
    return count


def detect_language(text: str) -> str:
    """ISO 639-1 code of ``text``'s language.

    Below ``settings.LANGUAGE_MIN_LETTERS`` letters a guess is noise, so a very short text is taken as English
    (the coder's language): refusing it would lose more than coding it risks.
    """
    if letter_count(text, settings.LANGUAGE_MIN_LETTERS) < settings.LANGUAGE_MIN_LETTERS:
        return "en"
    import py3langid  # loads its model on first use: keep it out of import time

    # The body is what matters; the first few thousand characters identify it as well as the whole.
    lang, _score = py3langid.classify(text[:5000])
    return str(lang)
