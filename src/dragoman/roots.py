"""CAMEO root groups: the families of event roots that several stages treat alike, named once.

Roots are the two-digit CAMEO categories (``"01"`` make public statement ... ``"20"`` unconventional mass
violence). A group here states a codebook convention the coder, the story rules or the claims rely on.
"""

from __future__ import annotations

STATEMENT = "01"
# Making and hosting a visit: political only when a political actor travels.
VISITS = frozenset({"042", "043"})
PROTEST = "14"
INVESTIGATE = "09"
# Assault, fight and mass violence: one attack may be reported as any of them, and such an event may be coded
# with neither side named ("a shell landed inside the stadium").
VIOLENT = frozenset({"18", "19", "20"})
# Consult and diplomatic cooperation: one meeting is often reported as either.
CONSULTATION = frozenset({"04", "05"})
# Acts that "A and B <verb>" with no target means they did with each other ("Peru and Chile held talks").
RECIPROCAL = frozenset({"03", "04", "05", "06", "19"})
# Cooperative acts whose two sides may be reported in either order (for joining reports into one story).
SYMMETRIC = frozenset({"03", "04", "05", "06"})
# Verbal acts: their object may be the subject of their complement ("demanded that the UN mission leave").
VERBAL = frozenset({"01", "02", "03", "10", "11", "12", "13"})
# Acts whose complement is their content (what was said, asked, threatened, denied), not a separate event.
CONTENT = frozenset({"01", "02", "03", "10", "11", "12", "13", "14"})
# Material acts (and appeals and demands) whose target may be a place's country when no actor is named
# ("shelled the capital", "cut off gas supplies to the enclave").
PLACE_TARGET = frozenset({"02", "06", "07", "08", "10", "13", "14", "15", "16", "17", "18", "19", "20"})
