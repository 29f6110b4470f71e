"""Events stage: which words carry an event, its CAMEO code (and PLOVER, QuadClass, Goldstein), and whether it
happened (factuality). Lexicon-driven (data files under ``events/data``), over spaCy dependency parses.

    triggers = load_trigger_lexicon()
    engine = EventEngine(triggers)
    for sent in doc.sents:
        for cand in engine.candidates(sent):          # trigger, code, argument heads
            factuality, attributed = classify(cand.anchor, cues)
            info = code_info(cand.code)                # PLOVER type and mode, QuadClass, Goldstein

Actors are resolved, and arguments linked to them, by the coder (:mod:`dragoman.coder`), not here.
"""

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from dragoman.events.engine import (
        DEFAULT_TARGET_SLOTS,
        JUDGEMENTS_FILE,
        Candidate,
        EventEngine,
        slot_heads,
        subject_of,
    )
    from dragoman.events.factuality import Attributed, Cues, classify, load_cues
    from dragoman.events.intent import IntentTable, intention_governor, load_intent_table
    from dragoman.events.lexicon import CAMEO_TABLE, CodeInfo, TriggerLexicon, code_info, load_trigger_lexicon
    from dragoman.events.sizes import sizes_in

# Each name and the module it lives in, imported when first asked for: the engine loads spaCy, and what reads
# only the data files (the CAMEO table for the exports, the lexicon checker) should start fast.
_WHERE = {
    **dict.fromkeys(("DEFAULT_TARGET_SLOTS", "JUDGEMENTS_FILE", "Candidate", "EventEngine", "slot_heads",
                     "subject_of"), "engine"),
    **dict.fromkeys(("Attributed", "Cues", "classify", "load_cues"), "factuality"),
    **dict.fromkeys(("IntentTable", "intention_governor", "load_intent_table"), "intent"),
    **dict.fromkeys(("CAMEO_TABLE", "CodeInfo", "TriggerLexicon", "code_info", "load_trigger_lexicon"), "lexicon"),
    "sizes_in": "sizes",
}


def __getattr__(name: str) -> Any:
    module = _WHERE.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    from importlib import import_module

    return getattr(import_module(f"dragoman.events.{module}"), name)


__all__ = [
    "CAMEO_TABLE",
    "DEFAULT_TARGET_SLOTS",
    "JUDGEMENTS_FILE",
    "Attributed",
    "Candidate",
    "CodeInfo",
    "Cues",
    "EventEngine",
    "IntentTable",
    "TriggerLexicon",
    "classify",
    "code_info",
    "intention_governor",
    "load_cues",
    "load_intent_table",
    "load_trigger_lexicon",
    "sizes_in",
    "slot_heads",
    "subject_of",
]
