"""Event triggers over dependency parses: which words carry an event, its CAMEO code, and its argument heads.

For each sentence the engine finds trigger candidates — verbs from the trigger lexicon, nouns that a light verb
hands the event to ("began talks"), and free-standing nominal events with both sides named ("the Kenyan raid
on the camp") — refines the code with the entry's rules, and finds the source and target argument heads.
Actor resolution, factuality, dates and places are applied to these candidates by the pipeline.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from spacy.tokens import Span, Token

from dragoman import roots
from dragoman.events.lexicon import (
    CAMEO_TABLE,
    JUDGEMENTS_KIND,
    Rule,
    TriggerEntry,
    TriggerLexicon,
    cameo_table,
    word_lists,
)
from dragoman.lexicons import Problem, check_kind, line_of, read_checked, read_yaml

# Where a target is looked for when the entry does not say: the object, then prepositional objects.
DEFAULT_TARGET_SLOTS: tuple[str, ...] = (
    "dobj", "dative", "pobj:against", "pobj:on", "pobj:with", "pobj:to", "pobj:at", "pobj:toward",
    "pobj:towards", "pobj:into", "pobj:upon",
)
NOUN_TARGET_SLOTS: tuple[str, ...] = (
    "pobj:on", "pobj:against", "pobj:with", "pobj:to", "pobj:at", "pobj:toward", "pobj:towards", "pobj:into",
    "pobj:upon", "pobj:between", "relcl_dobj",
)
# The English words the engine's constructions use live in data/words.yaml (what each list is for is there):
# nouns that only count or group another ("a string of raids"), relative pronouns, locative prepositions,
# particles parsed as adverbs ("fought back"), object-control verbs ("urged Iran to stop") and the prepositions of

# a state a subject is in ("is in talks with", "was at war with").
COURSE_PREPS, GENERIC_DETERMINERS, VAGUE_COUNT_HEADS, ORDINAL_WORDS, OUTBREAK_VERBS = word_lists(
    "course_preps", "generic_subject_determiners", "partitive_count_heads", "ordinal_words", "outbreak_verbs")
# Roots of happenings that may be coded with neither side named: violence and protest.
HAPPENING_ROOTS = roots.VIOLENT | {"14"}
QUANTITY_NOUNS, RELATIVE_PRONOUNS, LOCATIVE_PREPS, PARTICLES, OBJECT_CONTROL_VERBS, STATE_PREPS = word_lists(
    "quantity_nouns", "relative_pronouns", "locative_preps", "particles", "object_control_verbs", "state_preps")
RESULT_STATES = word_lists("result_states")[0]
SUBJECT_DEPS = ("nsubj", "csubj")
VERB_POS = ("VERB",)
NOUN_POS = ("NOUN", "PROPN")


@dataclass
class Candidate:
    """A trigger with its code and argument heads, before actors are resolved."""

    entry: TriggerEntry
    code: str
    trigger: Token  # the head word of the trigger
    trigger_tokens: list[Token]
    anchor: Token  # the clause head used for factuality and date (the light verb for "began talks")
    source_heads: list[Token] = field(default_factory=list)
    target_heads: list[Token] = field(default_factory=list)
    kind: str = "verb"  # verb | light | noun
    rule_matched: bool = False
    consumed: set[int] = field(default_factory=set)  # token indices of complements the rule used up
    # a violent or protest happening the text pins down (a place, a date, a victim) though it names neither side
    happening: bool = False
    reciprocal_ok: bool = True

    @property
    def trigger_text(self) -> str:
        toks = sorted(self.trigger_tokens, key=lambda t: t.i)
        return " ".join(t.text for t in toks)

    @property
    def trigger_span(self) -> tuple[int, int]:
        toks = sorted(self.trigger_tokens, key=lambda t: t.i)
        return toks[0].idx, toks[-1].idx + len(toks[-1].text)


def lemma(t: Token) -> str:
    return t.lemma_.lower()


def _children(t: Token, *deps: str) -> list[Token]:
    return [c for c in t.children if c.dep_ in deps]


def named_as(t: Token) -> bool:
    """Whether the verb gives its object a name or a description ("called the plan a red line", "labelled them
    traitors", "called it unacceptable"): an object predicate, which the parser hangs as ``oprd``, as an
    apposition of the object, or as a nominal or adjectival complement."""
    if any(c.dep_ == "dobj" and c.lower_ in RELATIVE_PRONOUNS | {"what"} for c in t.children):
        return False  # "what organisers called a peaceful march": the name describes, nobody is spoken of
    if any(c.dep_ == "oprd" or (c.dep_ in ("xcomp", "ccomp") and c.pos_ in ("NOUN", "ADJ")) for c in t.children):
        return True
    # (an apposition that is a name says who the object is: "called the president, Ali Musa, on Sunday")
    return any(a.dep_ == "appos" and a.pos_ != "PROPN" for o in t.children if o.dep_ == "dobj" for a in o.children)


def look_through(t: Token) -> Token:
    """Skip quantity nouns: "a string of raids" → "raids"."""
    seen = 0
    while lemma(t) in QUANTITY_NOUNS and seen < 3:
        nxt = [g for p in _children(t, "prep") if p.lower_ == "of" for g in _children(p, "pobj")]
        if not nxt:
            break
        t = nxt[0]
        seen += 1
    return t


def is_passive(t: Token) -> bool:
    return any(c.dep_ in ("auxpass", "nsubjpass") for c in t.children) or absolute_participle(t)


def absolute_participle(t: Token) -> bool:
    """"with shops set alight", "with the roads cut off": after "with", a past form is a passive participle,
    though the parser often reads it as a past tense with its patient as subject."""
    return (t.dep_ in ("pcomp", "advcl") and t.head.lower_ in ("with", "without") and t.tag_ in ("VBN", "VBD")
            and not any(c.dep_ == "aux" or (c.dep_ == "dobj" and c.lower_ not in RESULT_STATES) for c in t.children)
            and any(c.dep_ == "nsubj" for c in t.children))


def particle_matches(entry: TriggerEntry, t: Token) -> bool:
    if entry.particle is None:
        return True
    words = entry.particle.split()
    kids = {lemma(c) for c in t.children if c.dep_ in ("prt", "prep", "dobj", "advmod", "compound:prt", "acomp")}
    kids |= {c.lower_ for c in t.children if c.dep_ in ("prt", "prep", "advmod")}
    return all(w in kids for w in words)


def subject_of(t: Token) -> list[Token]:
    """Subject heads of a verb, inherited through xcomp/conj/relative clauses when the verb has none."""
    subj = _children(t, *SUBJECT_DEPS)
    if subj:
        s = subj[0]
        if s.lower_ in RELATIVE_PRONOUNS and t.dep_ == "relcl":
            return [t.head]
        return [s]
    agent = [g for a in _children(t, "agent") for g in _children(a, "pobj")]
    if agent and is_passive(t):
        return agent
    if is_passive(t):
        return []
    if t.dep_ == "xcomp" and t.head.pos_ == "ADJ" and t.head.dep_ in ("acomp", "attr") and t.head.head.i != t.head.i:
        return subject_of(t.head.head)  # "the council is willing to ease the curfew": the copula's subject
    if t.dep_ in ("xcomp", "conj") and t.head.i != t.i and t.head.pos_ in ("VERB", "AUX"):
        # "agreed to meet" / "met and signed": the subject of the governing verb
        if t.dep_ == "xcomp":
            objs = _children(t.head, "dobj")
            if objs and lemma(t.head) in OBJECT_CONTROL_VERBS:
                return objs  # object control: "urged Iran to stop" → Iran stops
        return subject_of(t.head)
    if t.dep_ == "relcl":
        return [t.head]
    if t.dep_ in ("acl", "xcomp") and t.head.pos_ in NOUN_POS:
        # "Japan's plan to lift the tariffs": the noun's owner
        return noun_owner(t.head)
    if t.dep_ == "advcl" and t.head.pos_ in ("VERB", "AUX") and (
        t.tag_ in ("VBG", "VBN") or any(c.dep_ == "aux" and c.lower_ == "to" for c in t.children)
    ):
        return subject_of(t.head)  # "the fleet stayed offshore to shield the port": the same subject
    return []


def noun_owner(n: Token) -> list[Token]:
    """Who a nominal event belongs to: possessor, proper-noun/adjective modifier, or 'by' agent."""
    poss = _children(n, "poss")
    if poss and poss[0].pos_ != "PRON":
        return poss
    # a possessive pronoun ("their withdrawal") is resolved by the caller through coreference
    mods = [c for c in n.children if c.dep_ in ("compound", "amod", "nmod") and (c.ent_type_ in ("GPE", "NORP", "ORG", "PERSON") or c.pos_ == "PROPN")]
    if mods:
        return [mods[0]]
    by = [g for p in _children(n, "prep") if p.lower_ == "by" for g in _children(p, "pobj")]
    return by or poss


def slot_heads(t: Token, slot: str) -> list[Token]:
    if slot.startswith("pobj:"):
        prep = slot.split(":", 1)[1]
        return [g for p in t.children if p.dep_ in ("prep", "dative", "agent") and p.lower_ == prep
                for g in _children(p, "pobj")]
    if slot == "dobj":
        return [look_through(o) if lemma(o) in QUANTITY_NOUNS else o for o in _children(t, "dobj")]
    if slot in ("dative", "iobj"):
        return [c for c in t.children if c.dep_ in ("dative", "iobj") and c.pos_ in NOUN_POS + ("PRON",)]
    if slot == "attr":
        return _children(t, "attr")
    if slot == "nsubjpass":
        return _children(t, "nsubjpass")
    if slot == "poss":
        return _children(t, "poss")
    if slot == "compound":
        return _children(t, "compound")
    if slot == "xcomp_dobj":
        return [o for x in _children(t, "xcomp") for o in _children(x, "dobj")]
    if slot == "relcl_dobj":
        return [o for r in _children(t, "relcl") for o in _children(r, "dobj")]
    return []


def targets_of(t: Token, slots: Iterable[str]) -> list[Token]:
    for slot in slots:
        heads = slot_heads(t, slot)
        if heads:
            return heads
    return []


JUDGEMENTS_FILE = Path(__file__).resolve().parent / "data" / "judgements.yaml"
_JUDGEMENT_LISTS = ("speech_verbs", "nouns", "adjectives")


@dataclass(frozen=True)
class Judgements:
    """Statements judging another's conduct ("said the comments were a violation"): data/judgements.yaml, kind
    ``judgements``: ``code`` (the CAMEO code emitted) and the lists ``speech_verbs``, ``nouns``, ``adjectives``."""

    code: str
    speech_verbs: frozenset[str]
    nouns: frozenset[str]
    adjectives: frozenset[str]

    @classmethod
    def load(cls, path: Path = JUDGEMENTS_FILE) -> Judgements:
        """:class:`dragoman.lexicons.LexiconError` naming every problem's file and line."""
        return read_checked(read_judgements, path, "judgements")


def read_judgements(path: Path, problems: list[Problem]) -> Judgements | None:
    """The judgements of a ``judgements`` file, or ``None`` with every problem (file and line) added."""
    data = read_yaml(path, problems)
    if data is None or not check_kind(path, JUDGEMENTS_KIND, problems):
        return None
    if not isinstance(data, dict):
        problems.append(Problem(str(path), 1, "top level must be a mapping with code, " + ", ".join(_JUDGEMENT_LISTS)))
        return None
    found = len(problems)
    code = str(data.get("code") or "")
    if code not in cameo_table():
        problems.append(Problem(str(path), line_of(data, "code"), f"code {code!r} is not in {CAMEO_TABLE.name}"))
    lists = []
    for key in _JUDGEMENT_LISTS:
        items = data.get(key)
        if not isinstance(items, list) or not items:
            said = "must be a non-empty list" if key in data else "is missing (a non-empty list)"
            problems.append(Problem(str(path), line_of(data, key), f"'{key}' {said}"))
            continue
        lists.append(frozenset(str(w).lower() for w in items))
    for key in sorted(set(data) - {"kind", "version", "code", *_JUDGEMENT_LISTS, "__line__", "__lines__"}):
        problems.append(Problem(str(path), line_of(data, key), f"unknown key {key!r}"))
    if len(problems) > found:
        return None
    return Judgements(code, *lists)


class EventEngine:
    """Finds trigger candidates in a sentence with a :class:`TriggerLexicon`."""

    def __init__(self, lexicon: TriggerLexicon, judgements: Judgements | None = None) -> None:
        self.lex = lexicon
        self.judgements = judgements or Judgements.load()
        self._expanded: dict[tuple[str, ...], frozenset[str]] = {}

    def _values(self, values: tuple[str, ...]) -> frozenset[str]:
        got = self._expanded.get(values)
        if got is None:
            got = self.lex.expand(values)
            self._expanded[values] = got
        return got

    # ------------------------------------------------------------ rules
    def _features(self, t: Token) -> dict[str, list[Token]]:
        preps = [c for c in t.children if c.dep_ in ("prep", "dative", "agent")]
        return {
            # (an object predicate counts: "held hostage", "named her envoy")
            # (and the noun a passive participle describes: "the banks set ablaze", "a tanker seized by Iran")
            "dobj": [look_through(o) for o in _children(t, "dobj", "attr", "oprd")] + _children(t, "nsubjpass")
            + ([t.head] if t.dep_ == "acl" and t.tag_ == "VBN" else [])
            + (_children(t, "nsubj") if absolute_participle(t) else []),
            "prep": preps,
            "pobj": [look_through(g) for p in preps for g in _children(p, "pobj")],
            "xcomp": [x for x in t.children if x.dep_ in ("xcomp",) or (x.dep_ == "ccomp" and x.tag_ == "VB")],
            # particles are often parsed as adverbs: "fought back", "stepped down", "pulled out"

            "prt": _children(t, "prt") + [c for c in _children(t, "advmod") if c.lower_ in PARTICLES],
            # "thousands of protesters marched": the counted noun is the subject
            "subject": [look_through(s.head if s.lower_ in RELATIVE_PRONOUNS and t.dep_ == "relcl" else s)
                        for s in _children(t, "nsubj", "nsubjpass")]
            or ([t.head] if t.dep_ in ("relcl", "acl") else [])
            # "forces captured the town and marched into the district": a coordinated verb shares the subject
            or ([look_through(h) for h in subject_of(t)] if t.dep_ == "conj" and not is_passive(t) else []),
        }

    def _rule_code(self, entry: TriggerEntry, t: Token) -> tuple[str | None, bool, set[int]]:
        rule, used = self.matching_rule(entry, t)
        if rule is not None:
            return rule.code, rule.code is not None, used
        return (None if entry.only_rules else entry.code), False, set()

    def matching_rule(self, entry: TriggerEntry, t: Token,
                      source_kinds: frozenset[str] | None = None) -> tuple[Rule | None, set[int]]:
        """The first of ``entry``'s rules whose conditions all hold at ``t`` (with the complements it used).

        ``source_kinds`` are the codes of the resolved source actor (country, sector, IGO/NGO/IMG): a rule with a
        ``source`` condition holds only when they are given and one of them is listed."""
        feats = self._features(t)
        for rule in entry.rules:
            used: set[int] = set()
            ok = True
            for key, values in rule.when:
                if key == "source":
                    ok = source_kinds is not None and bool(source_kinds.intersection(values))
                elif key == "passive":
                    ok = is_passive(t) == values
                elif key == "named_as":
                    ok = named_as(t) == values
                elif key == "subtree":
                    allowed = self._values(values)
                    ok = any(lemma(x) in allowed or x.lower_ in allowed for x in t.subtree if x.i != t.i)
                else:
                    allowed = self._values(values)
                    hits = [x for x in feats.get(key, []) if lemma(x) in allowed or x.lower_ in allowed]
                    # a compound head noun counts by its modifiers too: "air strike", "peace talks"
                    if not hits and key in ("dobj", "pobj", "subject"):
                        hits = [x for x in feats.get(key, []) for c in x.children
                                if c.dep_ == "compound" and (lemma(c) in allowed or c.lower_ in allowed)]
                    ok = bool(hits)
                    if key == "xcomp":
                        used.update(h.i for h in hits)
                if not ok:
                    break
            if ok:
                return rule, used
        return None, set()

    # ------------------------------------------------------------ candidates
    def _verb_entry(self, t: Token) -> TriggerEntry | None:
        for entry in self.lex.lookup(lemma(t), "VERB"):
            if particle_matches(entry, t):
                return entry
        return None

    def violent_noun(self, t: Token) -> bool:
        """Whether ``t`` is a noun the lexicon codes as violence ("air strikes", "the onslaught", "shelling")."""
        if t.pos_ not in NOUN_POS:
            return False
        entry = self._noun_entry(t)
        return entry is not None and entry.code[:2] in roots.VIOLENT

    def _noun_entry(self, t: Token) -> TriggerEntry | None:
        if t.ent_type_ in ("DATE", "TIME"):
            return None  # "on 4 March", "the strike of dawn": a date, not a march
        entries = self.lex.lookup(lemma(t), "NOUN") or self.lex.lookup(t.lower_, "NOUN")
        for entry in entries:
            if entry.particle is None or any(
                c.dep_ in ("compound", "amod") and lemma(c) == entry.particle for c in t.children
            ):
                return entry
        return None

    def candidates(self, sent: Span) -> list[Candidate]:
        out: list[Candidate] = []
        claimed: set[int] = set()  # nouns already coded through a verb or light verb
        for t in sent:
            if t.pos_ in VERB_POS or (t.pos_ == "AUX" and t.dep_ == "ROOT"):
                cand = self._judgement(t) or self._verb_candidate(t)
                if cand is not None:
                    out.append(cand)
                    claimed.update(h.i for h in cand.target_heads if h.pos_ in NOUN_POS)
                    claimed.update(o.i for o in _children(t, "dobj"))
                    claimed.update(look_through(o).i for o in _children(t, "dobj"))
                    continue
                if lemma(t) in self.lex.light_verbs or lemma(t) == "be":
                    objs = _children(t, "dobj") + _children(t, "nsubjpass") if lemma(t) != "be" else []
                    # "X is in talks with Y", "X was at war with Y": the state the subject is in
                    objs += [g for p in _children(t, "prep") if p.lower_ in STATE_PREPS for g in _children(p, "pobj")]
                    for obj in objs:
                        noun = look_through(obj)
                        entry = self._noun_entry(noun)
                        if entry is None:
                            continue
                        code, matched, used = self._rule_code(entry, noun)
                        if code is None:
                            continue
                        owner = noun_owner(noun)
                        if owner:
                            src = owner
                        elif obj.dep_ in ("dobj", "pobj"):
                            src = subject_of(t)
                        else:  # "raids were conducted by the navy"
                            src = [g for a in _children(t, "agent") for g in _children(a, "pobj")]
                        cand = Candidate(
                            entry=entry, code=code, trigger=noun, trigger_tokens=[noun], anchor=t,
                            source_heads=src, target_heads=targets_of(noun, entry.target or NOUN_TARGET_SLOTS)
                            or targets_of(t, [s for s in DEFAULT_TARGET_SLOTS if s != "dobj"]),
                            kind="light", rule_matched=matched,
                            # "demonstrations were held across the country": a light verb makes it a happening
                            happening=code[:2] in HAPPENING_ROOTS,
                        )
                        out.append(cand)
                        claimed.add(noun.i)
                        claimed.add(obj.i)
        for t in sent:
            if t.pos_ not in NOUN_POS or t.i in claimed:
                continue
            entry = self._noun_entry(t)
            if entry is None:
                continue
            code, matched, used = self._rule_code(entry, t)
            if code is None:
                continue
            src = noun_owner(t)
            tgt = targets_of(t, [s for s in entry.target or NOUN_TARGET_SLOTS if s != "pobj:between"])
            between = slot_heads(t, "pobj:between")
            both_between = not src and bool(between)
            if both_between:
                # "a call between the Kenyan and Somali leaders": both sides, each to the other
                src = between + [c for b in between for c in b.conjuncts]
                tgt = []
                if len(src) < 2:
                    continue
            # a free-standing noun is an event only when it is anchored as one happening (a date, a place, a
            # clause on it), not a standing state ("US support for X"), and both sides are named — the target
            # may be the place it happened in ("a Rwandan operation inside Congo on Friday"); a violent or
            # protest happening needs no named side ("grenade attacks in the market", "demonstrations were held
            # in every city")
            happening = False
            if not both_between:
                happening = (code[:2] in HAPPENING_ROOTS and not _counted_or_described(t)
                             and (_anchored(t) or _located(t) or _in_course_of(t) or _set_off(t)))
                if not happening and (not src or not _anchored(t) or not (tgt or _located(t))):
                    continue
            out.append(Candidate(entry=entry, code=code, trigger=t, trigger_tokens=[t], anchor=_clause_head(t),
                                 source_heads=src, target_heads=tgt, kind="noun", rule_matched=matched,
                                 happening=happening))
        return self._drop_consumed(out)

    def _verb_candidate(self, t: Token) -> Candidate | None:
        entry = self._verb_entry(t)
        if entry is None:
            return None
        code, matched, used = self._rule_code(entry, t)
        if code is None:
            return None
        tokens = [t] + [c for c in t.children if c.dep_ == "prt"]
        if entry.particle:
            words = set(entry.particle.split())
            tokens += [c for c in t.children if c.dep_ in ("prep", "advmod", "dobj") and (lemma(c) in words or c.lower_ in words)]
        # "the reporter kidnapped by the militia": a participle on a noun is passive, the noun its patient
        participle = t.dep_ == "acl" and t.tag_ == "VBN"
        passive = is_passive(t) or participle
        if passive:
            source = [g for a in _children(t, "agent") for g in _children(a, "pobj")]
            target = _children(t, "nsubjpass") or (_children(t, "nsubj") if absolute_participle(t) else [])
            if not target and t.dep_ == "relcl":
                target = [t.head]
            if not target and t.dep_ == "acl":
                target = [t.head]  # "militants killed in the raid"
            if not target and t.dep_ == "conj" and t.head.pos_ in VERB_POS:
                target = _children(t.head, "nsubj", "nsubjpass")  # "won't stay and will be expelled"
            if not target:
                target = targets_of(t, entry.target or DEFAULT_TARGET_SLOTS)
        else:
            source = subject_of(t)
            target = targets_of(t, entry.target or DEFAULT_TARGET_SLOTS)
            if not target:
                # "issued a licence to Lagos", "shared files with Interpol": the other side hangs on the object
                target = [g for o in _children(t, "dobj") for s in ("pobj:to", "pobj:with") for g in slot_heads(o, s)]
            if not target and used:
                # "demanded that Belarus withdraw": the complement's own subject is the target;
                # "threatened to strike X": else the complement's object
                target = [sj for x in t.children if x.i in used for sj in _children(x, "nsubj", "nsubjpass")]
                target = target or [o for x in t.children if x.i in used for o in _children(x, "dobj")] or [
                    g for x in t.children if x.i in used for p in _children(x, "prep") for g in _children(p, "pobj")
                ]
        # "thirteen sailors were abducted off the coast": violence done to people, the doer unnamed or only
        # described ("beaten by a mob", "shot by unknown gunmen")
        # (or to one person named before: "she was beaten at a march")
        happening = passive and code[:2] in HAPPENING_ROOTS and any(
            h.pos_ in NOUN_POS + ("NUM",) or h.lower_ in ("he", "she") for h in target) and all(
            h.pos_ == "NOUN" and lemma(h) != "other" for h in source)
        return Candidate(entry=entry, code=code, trigger=t, trigger_tokens=tokens, anchor=t, source_heads=source,
                         target_heads=target, kind="verb", rule_matched=matched, consumed=used, happening=happening)

    def _judgement(self, t: Token) -> Candidate | None:
        """"X said Y's remarks were an insult" / "X said it was wrong that Y ...": X criticises Y."""
        j = self.judgements
        if lemma(t) not in j.speech_verbs:
            return None
        entry = TriggerEntry(trigger=lemma(t), lemma=lemma(t), particle=None, pos="VERB", code=j.code,
                             target=None, rules=(), example=None, file=str(JUDGEMENTS_FILE), line=0)
        # "called the accusation ludicrous", "branded the vote a farce": the object is what is judged
        predicates = [c for c in t.children if c.dep_ in ("oprd", "xcomp", "ccomp") and c.pos_ in ("ADJ", "NOUN")
                      and (lemma(c) in j.adjectives or lemma(c) in j.nouns)]
        objects = _children(t, "dobj")
        if predicates and objects:
            return Candidate(entry=entry, code=j.code, trigger=t, trigger_tokens=[t, predicates[0]], anchor=t,
                             source_heads=subject_of(t), target_heads=objects, kind="verb", rule_matched=True)
        for c in t.children:
            if c.dep_ not in ("ccomp", "parataxis") or lemma(c) != "be":
                continue
            words = [w for w in c.children if (w.dep_ == "attr" and lemma(w) in j.nouns)
                     or (w.dep_ == "acomp" and lemma(w) in j.adjectives)]
            if not words:
                continue
            judged = _children(c, "nsubj", "nsubjpass")
            if judged and judged[0].lower_ == "it":  # "it was wrong that the neighbour kept ...": that clause

                judged = [s for x in _children(c, "ccomp") for s in _children(x, "nsubj", "nsubjpass")]
            return Candidate(entry=entry, code=j.code, trigger=t, trigger_tokens=[t, words[0]], anchor=t,
                             source_heads=subject_of(t), target_heads=judged, kind="verb", rule_matched=True)
        return None

    @staticmethod
    def _drop_consumed(cands: list[Candidate]) -> list[Candidate]:
        """A complement used by its governor's rule is not a second event ("threatened to strike")."""
        consumed = {i for c in cands for i in c.consumed}
        governing = {c.trigger.i for c in cands if c.kind == "verb"}
        kept = []
        for c in cands:
            if c.trigger.i in consumed:
                continue
            # an xcomp trigger under a trigger verb is that verb's content ("agreed to meet"): keep one event
            if c.kind == "verb" and c.trigger.dep_ == "xcomp" and c.trigger.head.i in governing:
                continue
            kept.append(c)
        return kept


def _anchored(noun: Token) -> bool:
    """Whether a nominal event is pinned to one happening: a date or a place in its phrase, or a clause on it."""
    for x in noun.subtree:
        if x.i == noun.i:
            continue
        if x.ent_type_ in ("DATE", "TIME"):
            return True
        if x.ent_type_ in ("GPE", "LOC", "FAC") and x.head.dep_ == "prep" and x.head.lower_ in LOCATIVE_PREPS:
            return True
    if noun.dep_ in ("nsubj", "nsubjpass") and noun.head.pos_ == "VERB":
        return True  # the happening is what the clause is about: "the Chinese pledge was welcomed"
    return any(c.dep_ in ("relcl", "acl") and c.pos_ == "VERB" for c in noun.children)


def _set_off(noun: Token) -> bool:
    """A happening the clause says something set off: "the verdict sparked protests"."""
    return noun.dep_ == "dobj" and lemma(noun.head) in OUTBREAK_VERBS


def _counted_or_described(noun: Token) -> bool:
    """A happening noun that counts or describes rather than reports: "it was the fifth attack this month" (an
    ordinal, or the predicate of "be"), "dozens of attacks since 2019" (a vague count): a claim or a
    characterisation of events told elsewhere, not a new one."""
    if noun.dep_ == "attr" and lemma(noun.head) == "be":
        return True
    if any(c.dep_ in ("amod", "nummod") and (c.ent_type_ == "ORDINAL" or c.lower_ in ORDINAL_WORDS)
           for c in noun.children):
        return True
    counted_by = noun.head.head if noun.dep_ == "pobj" and noun.head.lower_ == "of" else None
    return counted_by is not None and counted_by.lower_ in VAGUE_COUNT_HEADS


def _in_course_of(noun: Token) -> bool:
    """A happening something else took place in ("killed in three grenade attacks", "during a rally", "amid
    protests"); not the idiom "in protest"."""
    if noun.dep_ != "pobj" or noun.head.lower_ not in COURSE_PREPS or noun.head.head.pos_ not in ("VERB", "AUX"):
        return False  # ("their part in such strikes" is no happening)
    if any(c.dep_ == "det" and c.lower_ in GENERIC_DETERMINERS for c in noun.children):
        return False
    bare = not any(c.dep_ in ("det", "nummod", "amod", "compound", "poss") for c in noun.children)
    return not (bare and noun.tag_ == "NN" and noun.head.lower_ == "in")


def _located(noun: Token) -> bool:
    """Whether a place is attached to the noun by a locative preposition ("the offensive inside Syria")."""
    return any(
        p.dep_ == "prep" and p.lower_ in LOCATIVE_PREPS and any(g.ent_type_ in ("GPE", "LOC") for g in p.subtree)
        for p in noun.children
    )


def _clause_head(t: Token) -> Token:
    """The verb whose clause a noun sits in (for factuality and dating of nominal events)."""
    h = t
    for _ in range(8):
        if h.pos_ in ("VERB", "AUX") or h.head.i == h.i:
            return h
        h = h.head
    return h
