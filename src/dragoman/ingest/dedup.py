"""Duplicate detection: exact copies by content hash, near copies (syndication, light edits) by MinHash.

The index holds every article already stored plus those accepted earlier in this run, so a copy is found
whether its original was stored last week or three lines above it in the same file. Decisions depend only on
what came before an article in input order, never on timing, which is what makes an interrupted ingest that is
re-run end exactly like an uninterrupted one.

* **exact**: same ``content_hash`` as an earlier article; ``duplicate_of`` is the first article with that text.
* **near**: estimated Jaccard similarity of word shingles >= ``settings.NEAR_DUPLICATE_JACCARD`` with an
  earlier article; ``duplicate_of`` is the *original* (the article not itself a duplicate) of the matches,
  and when several originals match, the earliest published (undated last), then the smallest id.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Literal

from datasketch import MinHash, MinHashLSH

from dragoman import settings
from dragoman.ingest.textclean import normalise
from dragoman.model import Article

DuplicateKind = Literal["exact", "near"]
# Stored signatures are only comparable with ones of the same scheme and seed: never change these silently.
MINHASH_SCHEME: Literal["affine32"] = "affine32"


def shingles(text: str, size: int = settings.SHINGLE_WORDS) -> set[bytes]:
    """Overlapping runs of ``size`` words of the normalised text (the whole text when it is shorter)."""
    words = normalise(text).split()
    if len(words) <= size:
        return {" ".join(words).encode("utf-8")}
    return {" ".join(words[i:i + size]).encode("utf-8") for i in range(len(words) - size + 1)}


@dataclass
class _Entry:
    published: str | None
    root: str  # the original this article is, or copies


class DedupIndex:
    """Content hashes and MinHash signatures of the articles seen so far, queried in input order."""

    def __init__(
        self,
        threshold: float = settings.NEAR_DUPLICATE_JACCARD,
        num_perm: int = settings.MINHASH_PERMUTATIONS,
    ) -> None:
        self.threshold = threshold
        self.num_perm = num_perm
        self._template = MinHash(num_perm=num_perm, scheme=MINHASH_SCHEME)  # permutations are drawn once and shared
        # LSH only proposes candidates; each is then checked against the real threshold. Proposing at a lower
        # similarity makes a missed near-duplicate (an LSH false negative) very unlikely, for little work.
        self._lsh = MinHashLSH(threshold=max(0.1, threshold - 0.25), num_perm=num_perm, weights=(0.2, 0.8))
        self._signatures: dict[str, MinHash] = {}
        self._by_hash: dict[str, str] = {}
        self._entries: dict[str, _Entry] = {}
        self.content_hashes: dict[str, str] = {}  # article_id -> content_hash

    def __contains__(self, article_id: object) -> bool:
        return article_id in self.content_hashes

    def signature(self, text: str) -> MinHash:
        m = MinHash(num_perm=self.num_perm, permutations=self._template.permutations, scheme=MINHASH_SCHEME)
        m.update_batch(sorted(shingles(text)))
        return m

    def _from_values(self, values: Sequence[int]) -> MinHash:
        return MinHash(num_perm=self.num_perm, hashvalues=list(values), permutations=self._template.permutations,
                       scheme=MINHASH_SCHEME)

    def classify(self, article: Article, signature: MinHash) -> tuple[str | None, DuplicateKind | None]:
        """``(duplicate_of, kind)`` for an article not yet in the index, or ``(None, None)`` for an original."""
        first = self._by_hash.get(article.content_hash)
        if first is not None:
            return first, "exact"
        roots: set[str] = set()
        for candidate in self._lsh.query(signature):
            if signature.jaccard(self._signatures[candidate]) >= self.threshold:
                roots.add(self._entries[candidate].root)
        if not roots:
            return None, None
        best = min(roots, key=lambda r: (self._entries[r].published is None, self._entries[r].published or "", r))
        return best, "near"

    def add(
        self,
        article_id: str,
        content_hash: str,
        published: str | None,
        duplicate_of: str | None,
        signature: MinHash | Sequence[int] | None,
    ) -> None:
        """Record an article (stored or just accepted) so later ones are compared with it."""
        if article_id in self.content_hashes:
            return
        self.content_hashes[article_id] = content_hash
        self._by_hash.setdefault(content_hash, article_id)
        root = article_id
        if duplicate_of is not None:
            parent = self._entries.get(duplicate_of)
            root = parent.root if parent else duplicate_of
        self._entries[article_id] = _Entry(published=published, root=root)
        if signature is None:
            return
        m = signature if isinstance(signature, MinHash) else self._from_values(signature)
        self._signatures[article_id] = m
        self._lsh.insert(article_id, m)

    @classmethod
    def from_rows(
        cls,
        rows: Iterable[tuple[str, str, str | None, str | None, Sequence[int] | None]],
        **kwargs: float | int,
    ) -> DedupIndex:
        """An index over stored articles: rows of ``(article_id, content_hash, published, duplicate_of, minhash)``
        in a deterministic order (originals need no particular order; duplicates follow their originals)."""
        index = cls(**kwargs)  # type: ignore[arg-type]
        pending = []
        for row in rows:
            if row[3] is None:
                index.add(*row)
            else:
                pending.append(row)
        # A copy goes in after what it copies, so its root (and the first article of each text) is right.
        while pending:
            ready = [row for row in pending if row[3] in index]
            if not ready:  # its original is not stored (deleted by hand): take the rest as they are
                ready = pending
            for row in ready:
                index.add(*row)
            pending = [row for row in pending if row[0] not in index]
        return index
