"""Property tests (hypothesis) of the API's inputs: no request body, query parameter or path value makes it answer
5xx, and whatever it answers is JSON (or the download asked for) with the security headers."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from urllib.parse import quote

import pytest

pytest.importorskip("fastapi")
from fastapi.testclient import TestClient  # noqa: E402
from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from dragoman.api import create_app  # noqa: E402
from dragoman.jobs.ingest import ingest  # noqa: E402
from dragoman.model import Actor, Article, Coder, EventDate, EventMention, Evidence  # noqa: E402
from dragoman.paths import SAMPLES_DIR  # noqa: E402
from dragoman.store import Store  # noqa: E402

TOKEN = "property-token"
PROPERTY = settings(max_examples=120, deadline=None, suppress_health_check=list(HealthCheck), database=None)


class QuickCoder:
    """One mention per article, at once (the real coder is not what these tests are about)."""

    def code_articles(self, articles: Iterable[Article]) -> Iterator[tuple[Article, list[EventMention]]]:
        for a in articles:
            yield a, [EventMention(
                id=f"q-{a.article_id}"[:60], article_id=a.article_id, source=Actor(code="PRT", country="PRT"),
                target=Actor(code="ESP", country="ESP"), cameo="040", cameo_root="04", plover="CONSULT",
                plover_mode=None, quad_class=1, goldstein=1.0, date=EventDate(a.published, a.published, "day"),
                location=None, factuality="asserted", evidence=Evidence(sentence=a.text[:50], start=0, end=50),
                coder=Coder(version="test", lexicons="test"))]


@pytest.fixture(scope="module")
def http(tmp_path_factory) -> TestClient:
    db = tmp_path_factory.mktemp("properties") / "p.duckdb"
    ingest([SAMPLES_DIR], Store(db), coder_factory=QuickCoder)
    app = create_app(db, token=TOKEN)
    app.state.coder = QuickCoder()
    with TestClient(app, base_url="http://127.0.0.1", raise_server_exceptions=False) as client:
        yield client


def check(r) -> None:
    assert r.status_code < 500, (r.request.url, r.status_code, r.text[:300])
    assert "content-security-policy" in r.headers
    if r.headers.get("content-type", "").startswith("application/json"):
        json.loads(r.text)


# Text of any code points, lone surrogates included (valid in JSON as escapes, yet no text), and often so.
SURROGATES = st.characters(min_codepoint=0xD800, max_codepoint=0xDFFF, exclude_categories=())
TEXT = st.text() | st.text(st.characters(exclude_categories=())) | st.lists(
    st.text(max_size=5) | SURROGATES, max_size=6).map("".join)
JSON_SCALARS = st.none() | st.booleans() | st.integers() | st.floats() | TEXT
JSON_VALUES = st.recursive(JSON_SCALARS, lambda inner: st.lists(inner, max_size=4)
                           | st.dictionaries(TEXT, inner, max_size=4), max_leaves=12)
FIELDS = ("text", "url", "title", "published", "source", "id")
SUBMISSIONS = st.fixed_dictionaries({}, optional={f: JSON_VALUES for f in FIELDS}) | JSON_VALUES


def raw_json(value) -> bytes:
    """JSON as a client may send it: lone surrogates written as escapes (they are valid JSON, not valid text)."""
    return json.dumps(value, ensure_ascii=True, allow_nan=True).encode("ascii")


@PROPERTY
@given(body=SUBMISSIONS, auth=st.sampled_from([None, f"Bearer {TOKEN}", TOKEN, "Bearer wrong"]))
def test_any_json_body_is_answered_without_a_5xx(http, body, auth) -> None:
    headers = {"Content-Type": "application/json"}
    if auth is not None:
        headers["Authorization"] = auth
    check(http.post("/api/articles", content=raw_json(body), headers=headers))


@PROPERTY
@given(body=st.binary(max_size=300), content_type=st.sampled_from(["application/json", "text/plain", "",
                                                                   "application/x-www-form-urlencoded"]))
def test_any_bytes_as_a_body_are_answered_without_a_5xx(http, body, content_type) -> None:
    check(http.post("/api/articles", content=body,
                    headers={"Content-Type": content_type, "Authorization": f"Bearer {TOKEN}"}))


@PROPERTY
@given(text=TEXT.filter(bool), title=st.none() | TEXT, published=st.none() | TEXT | st.dates().map(str),
       source=st.none() | TEXT)
def test_any_submitted_article_is_answered_without_a_5xx(http, text, title, published, source) -> None:
    body = {"text": text, "title": title, "published": published, "source": source}
    check(http.post("/api/articles", content=raw_json(body),
                    headers={"Content-Type": "application/json", "Authorization": f"Bearer {TOKEN}"}))


GET_PATHS = ("/api/mentions", "/api/stories", "/api/actors", "/api/series", "/api/network", "/api/places",
             "/api/articles", "/api/claims", "/api/facets", "/api/health")
PARAMS = ("actor", "country", "source_country", "target_country", "cameo", "root", "plover", "quad_class",
          "factuality", "since", "until", "article", "min_confidence", "source", "target", "actor_code", "place",
          "place_country", "limit", "offset", "format", "interval", "symmetric", "language")
VALUES = (TEXT | st.integers(min_value=-2**70, max_value=2**70).map(str)
          | st.floats().map(str) | st.sampled_from(["", "%", "_", "*", "\\", "0", "-1", "2024-02-30", "csv",
                                                    "parquet", "week", "true", "1e309", "NaN", "04", "IRQ*"]))


def encode(value: str) -> str:
    """Percent-encode any string, lone surrogates too (as the bytes a careless client would send)."""
    return quote(value.encode("utf-8", "surrogatepass"), safe="")


@PROPERTY
@given(path=st.sampled_from(GET_PATHS), params=st.lists(st.tuples(st.sampled_from(PARAMS), VALUES), max_size=6))
def test_any_query_parameters_are_answered_without_a_5xx(http, path, params) -> None:
    query = "&".join(f"{encode(k)}={encode(v)}" for k, v in params)
    check(http.get(f"{path}?{query}" if query else path))


@PROPERTY
@given(kind=st.sampled_from(["mentions", "stories", "articles"]), value=TEXT)
def test_any_path_value_is_answered_without_a_5xx(http, kind, value) -> None:
    check(http.get(f"/api/{kind}/{encode(value) or 'x'}"))
