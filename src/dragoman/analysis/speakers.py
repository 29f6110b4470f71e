"""Who speaks in a verbal act, well enough to tell two speakers apart: the story rules for statements.

A statement, an appeal, a criticism is one event per speaker and occasion, so two verbal acts can be one story
only when one speaker makes both (:func:`same_speaker`). The coder gives each source a CAMEO code, the actor
dictionary's name when it knows the actor, and the words that named it; a speaker is known here when it is
named: by the dictionary's name, by a surname ("Ambassador Okafor", "Ada Okafor, the guard's spokesman", "the
fisheries minister, Ingrid Vassbotn, said"), or by a body's proper name ("the Coastal Relief Agency"). A country
speaking ("Norway has said", "Oslo says"), officials, a diplomat, a spokesman: could be anyone, on any
occasion.

A pronoun ("he said") stands for the speaker named in the nearest verbal act before it in the article, when that
one is a person (named by a surname), has the pronoun's code, agrees with the person the coder resolved the
pronoun to, and is at most ``STORY_ONE_VOICE_PRONOUN_CHARS`` before it (:func:`anchor_pronouns`): further away,
past another speaker, or where the two disagree, the coder's guess of its antecedent is often wrong. Someone of a
body ("an RG spokesman") is not the body.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING

from dragoman import settings
from dragoman.actors.lexicon import builtin_country_entries

if TYPE_CHECKING:
    from dragoman.analysis.stories import M

PRONOUNS = frozenset({"he", "she", "they", "it", "we", "i"})
# CAMEO codes of bodies with no sector that still name one speaker (an organisation, a named group)
_BODY_PREFIXES = ("IGO", "NGO", "IMG", "MNC")
_MINOR_WORDS = frozenset({"of", "for", "and", "the"})


@dataclass(frozen=True)
class Speaker:
    code: str
    name: str  # the dictionary's name, lower case ("" when the dictionary does not know the actor)
    surnames: frozenset[str]
    body: tuple[str, ...]  # the words of a body's proper name ("Coastal", "Relief", "Agency"); () if none


def _source(m: M) -> dict:
    return m.record.get("source") or {}


def is_pronoun(m: M) -> bool:
    return str(_source(m).get("text") or "").strip().lower() in PRONOUNS


def _surname(text: str) -> str | None:
    last = text.split()[-1] if text.split() else ""
    return last.lower() if last[:1].isupper() and last.lower() not in PRONOUNS else None


def surnames(m: M) -> frozenset[str]:
    """The surnames a source is named by where it stands: in its text and in an appositive after it."""
    text = str(_source(m).get("text") or "").strip()
    out = set()
    for chunk in (text, text.split(",")[0]):
        words = chunk.split()
        if words and all(w[:1].isupper() for w in words) and (surname := _surname(chunk)):
            out.add(surname)
    sentence = str((m.record.get("evidence") or {}).get("sentence") or "")
    at = sentence.find(text) if text else -1
    if at >= 0 and sentence[at + len(text):].startswith(", "):
        appositive = sentence[at + len(text) + 2:].split(",")[0].split()
        if 0 < len(appositive) <= 4 and all(w[:1].isupper() for w in appositive):
            out.add(appositive[-1].lower())
    return frozenset(out)


_UNSET = object()


def speaker_of(m: M) -> Speaker | None:
    """The named speaker of ``m``'s source, or ``None`` (a pronoun, a country, a nameless role). Worked out once
    per mention: clustering asks for it at every pair."""
    cached = m.__dict__.get("_speaker", _UNSET)
    if cached is _UNSET:
        cached = m.__dict__["_speaker"] = _speaker_of(m)
    return cached  # type: ignore[return-value]


@lru_cache(maxsize=1)
def _countries() -> tuple[frozenset[str], frozenset[str]]:
    """The Wikidata ids and names (lower case) of the countries the actor dictionary knows."""
    entries = builtin_country_entries()
    return (frozenset(e.wikidata for e in entries if e.wikidata),
            frozenset(e.name.lower() for e in entries if e.name))


def _speaker_of(m: M) -> Speaker | None:
    actor = _source(m)
    code = actor.get("code")
    if not code or is_pronoun(m):
        return None
    if not actor.get("sector") and not str(code).startswith(_BODY_PREFIXES):
        return None  # a country speaking
    ids, names = _countries()
    if actor.get("wikidata") in ids or str(actor.get("name") or "").lower() in names:
        return None  # a country speaking through its capital or its government ("Oslo says")
    name = str(actor.get("name") or "").lower()
    words = [w for w in str(actor.get("text") or "").split() if w.lower() != "the"]
    body = tuple(words) if words and all(w[:1].isupper() or w.lower() in _MINOR_WORDS for w in words) else ()
    found = surnames(m)
    if not (name or found or body):
        return None
    if name and not found and not body and _names_body(words, name):
        return None  # "an RG spokesman": someone of the body the dictionary names, not the body itself
    return Speaker(str(code), name, found, body)


def _names_body(words: list[str], name: str) -> bool:
    """Whether a source's words name the body ``name`` and a role in it ("RG spokesman", "River Guard aide")."""
    lowered = {w.lower().removesuffix("’s").removesuffix("'s").strip(",.") for w in words}
    initials = "".join(w[0] for w in name.split() if w not in _MINOR_WORDS)
    return bool(lowered & set(name.split())) or initials in lowered


def speaker(m: M) -> Speaker | None:
    """``m``'s speaker: its own, or for a pronoun the one it stands for (set by :func:`anchor_pronouns`)."""
    return m.pronoun_speaker if is_pronoun(m) else speaker_of(m)


def anchor_pronouns(mentions: Iterable[M]) -> None:
    """For each pronoun speaker, the named speaker of the nearest verbal act before it in its article, when that
    one is a person with the pronoun's code, agrees with the coder's reading of the pronoun, and stands at most
    ``STORY_ONE_VOICE_PRONOUN_CHARS`` before it."""
    by_article: dict[str, list[M]] = defaultdict(list)
    for m in mentions:
        m.__dict__.pop("_signature", None)  # (the story rules' signature of a mention includes its anchor)
        if _source(m).get("code"):
            by_article[m.article_id].append(m)
    reach = settings.STORY_ONE_VOICE_PRONOUN_CHARS
    for ms in by_article.values():
        ms.sort(key=lambda m: (m.sentence_start, m.id))
        last: tuple[int, Speaker] | None = None
        for m in ms:
            if is_pronoun(m):
                m.pronoun_speaker = None
                own = str(_source(m).get("name") or "").lower()
                if last and 0 <= m.sentence_start - last[0] <= reach and last[1].code == str(_source(m)["code"]) \
                        and last[1].surnames and (not own or own == last[1].name):
                    m.pronoun_speaker = last[1]
            elif (found := speaker_of(m)) is not None:  # (another speaker named takes the thread over)
                last = (m.sentence_start, found)


def _initials(words: tuple[str, ...]) -> str:
    return "".join(w[0] for w in words if w.lower() not in _MINOR_WORDS).upper()


def same_speaker(a: M, b: M) -> str | None:
    """The code of the one speaker of two verbal acts, or ``None``: the same code, and the same dictionary name
    (unless the texts name two of its people: "Ada Okafor, an RG spokesman" and "Tunde Bello, the RG
    commander"), or one's surname in the other's name, or a surname in common, or one body's proper name (the
    same words, or one the initials of the other: "the Coastal Relief Agency" / "the CRA")."""
    x, y = speaker(a), speaker(b)
    if x is None or y is None or x.code != y.code:
        return None
    if x.name and y.name:
        if x.name != y.name:
            return None
        people_x, people_y = x.surnames - set(x.name.split()), y.surnames - set(y.name.split())
        return None if people_x and people_y and not people_x & people_y else x.code
    if x.name or y.name:
        name, other = (x.name, y) if x.name else (y.name, x)
        return x.code if other.surnames & set(name.split()) else None
    if x.surnames & y.surnames:
        return x.code
    if x.body and y.body:
        same = [w.lower() for w in x.body] == [w.lower() for w in y.body]
        short = len(x.body) == 1 and x.body[0].upper() == _initials(y.body) or (
            len(y.body) == 1 and y.body[0].upper() == _initials(x.body))
        return x.code if same or short else None
    return None
