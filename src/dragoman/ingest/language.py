"""Language identification (py3langid), so that only English articles reach the English-only coder."""

from __future__ import annotations

from functools import lru_cache

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
    # The body is what matters; the first few thousand characters identify it as well as the whole.
    scores = dict(_identifier().rank(text[:5000]))
    best = max(scores, key=scores.__getitem__)
    top, english = scores[best], scores.get("en")
    if english is not None and top - english <= settings.LANGUAGE_ENGLISH_MARGIN * abs(top):
        return "en"
    return str(best)


@lru_cache(maxsize=1)
def _identifier():
    """py3langid's model, loaded on first use (keep it out of import time), answering only the languages news
    comes in (``settings.LANGUAGE_NEVER`` left out). An instance of our own: py3langid's module-wide one is left
    as it is for anyone else in the process."""
    from py3langid import langid

    ident = langid.LanguageIdentifier.from_model_file(langid.MODEL_FILE)
    ident.set_languages([lang for lang in ident.labels if lang not in settings.LANGUAGE_NEVER])
    if hasattr(ident, "_full_model"):
        # set_languages keeps the whole model beside the restricted copy, in case it is asked for the rest again;
        # it never is here, and every coding worker would hold the 27 MB twice
        ident._full_model = (ident.nb_ptc, ident.nb_pc, ident.nb_classes)
    return ident
