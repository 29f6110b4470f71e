"""The dashboard in a real headless Chromium (Debian's /usr/bin/chromium via selenium and chromedriver; nothing
downloads a browser) over real HTTP: every view renders on the sample articles, its counts equal the API's for
the same filter, a filter changes them, a click opens the evidence, and a hostile article's markup never runs.
Screenshots go to test-artifacts/dashboard/."""

from __future__ import annotations

import json
import shutil
import socket
import threading
import time
from datetime import datetime
from pathlib import Path

import httpx
import pytest

pytest.importorskip("fastapi")
webdriver = pytest.importorskip("selenium.webdriver")
import uvicorn  # noqa: E402
from selenium.webdriver.chrome.service import Service  # noqa: E402
from selenium.webdriver.common.by import By  # noqa: E402
from selenium.webdriver.support.ui import WebDriverWait  # noqa: E402

from dragoman.api import create_app  # noqa: E402
from dragoman.ingest.feedlist import feed_spec  # noqa: E402
from dragoman.jobs.alerts import check_alerts  # noqa: E402
from dragoman.jobs.ingest import ingest  # noqa: E402
from dragoman.jobs.recode import replace_mentions  # noqa: E402
from dragoman.model import Actor, Coder, EventDate, EventMention, Evidence, Location  # noqa: E402
from dragoman.paths import SAMPLES_DIR  # noqa: E402
from dragoman.store import Store  # noqa: E402
from dragoman.store.alerts import Alert, add_alert  # noqa: E402
from dragoman.store.events import EventFilter  # noqa: E402
from dragoman.store.feeds import add_feed, set_paused  # noqa: E402

CHROMIUM = Path("/usr/bin/chromium")
CHROMEDRIVER = shutil.which("chromedriver") or "/usr/bin/chromedriver"
ARTIFACTS = Path(__file__).resolve().parents[1] / "test-artifacts" / "dashboard"

pytestmark = pytest.mark.skipif(
    not CHROMIUM.exists() or not Path(CHROMEDRIVER).exists(),
    reason="needs Debian's chromium and chromium-driver (/usr/bin/chromium, chromedriver): apt-get install chromium "
           "chromium-driver (.ci/run does)",
)

HOSTILE_NAME = '<img src=x onerror="window.__pwned=\'actor\'">'
HOSTILE_TEXT = (
    "Iran condemned Israel in Tehran on 2 March 2024. <script>window.__pwned='script'</script> "
    "<img src=x onerror=\"window.__pwned='onerror'\"> "
    "<a id=\"evil\" href=\"javascript:window.__pwned='link'\">read more</a> "
    "<b onmouseover=\"window.__pwned='hover'\">Israel rejected the statement.</b>"
)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def hostile_mention(article_id: str) -> EventMention:
    at = HOSTILE_TEXT.index("Iran condemned")
    sentence = HOSTILE_TEXT[at: HOSTILE_TEXT.index(".") + 1]
    return EventMention(
        id="hostile0000000001", article_id=article_id,
        source=Actor(code="IRNGOV", country="IRN", sector="GOV", name=HOSTILE_NAME, text="Iran"),
        target=Actor(code="ISR", country="ISR", name="<script>window.__pwned='target'</script>", text="Israel"),
        cameo="111", cameo_root="11", plover="ACCUSE", plover_mode=None, quad_class=3, goldstein=-2.0,
        date=EventDate(start="2024-03-02", end="2024-03-02", precision="day", text="2 March 2024"),
        location=Location(name='Tehran<svg onload="window.__pwned=\'place\'">', country="IRN", lat=35.69, lon=51.42,
                          text="Tehran"),
        factuality="asserted",
        evidence=Evidence(sentence=sentence, start=at, end=at + len(sentence), trigger="condemned",
                          trigger_start=at + 5, trigger_end=at + 14),
        coder=Coder(version="test", lexicons="test"), confidence=0.9,
        source_span=(at, at + 4), target_span=(at + 15, at + 21),
    )


@pytest.fixture(scope="module")
def site(tmp_path_factory, coder):
    tmp = tmp_path_factory.mktemp("web")
    path = tmp / "web.duckdb"
    store = Store(path)
    add_alert(store, Alert("all-stories", EventFilter(), to_stdout=False, to_file=str(tmp / "hits.jsonl")),
              datetime(2026, 1, 5, 12, 0))
    ingest([SAMPLES_DIR], store, coder_factory=lambda: coder)
    assert check_alerts(store) > 0
    add_feed(store, feed_spec("https://wire.example.org/world.rss", "world-wire", "15m"), datetime(2026, 1, 5))
    add_feed(store, feed_spec("https://other.example.net/feed", "other", "1h"), datetime(2026, 1, 5))
    set_paused(store, "other", "robots.txt of https://other.example.net forbids it", datetime(2026, 1, 5))
    hostile = tmp / "hostile.jsonl"
    hostile.write_text(json.dumps({"id": "hostile-article", "title": "<script>window.__pwned='title'</script>",
                                   "url": "javascript:window.__pwned='url'", "published": "2024-03-02",
                                   "source": "<i onmouseover=x>Evil</i>", "text": HOSTILE_TEXT}) + "\n")
    ingest([hostile], store, code=False)
    replace_mentions(store, "hostile-article", [hostile_mention("hostile-article")])
    port = free_port()
    server = uvicorn.Server(uvicorn.Config(create_app(path), host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    while not server.started:
        time.sleep(0.02)
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(timeout=5)


@pytest.fixture(scope="module")
def browser():
    opts = webdriver.ChromeOptions()
    opts.binary_location = str(CHROMIUM)
    for arg in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--window-size=1400,2400",
                "--disable-extensions", "--no-first-run"):
        opts.add_argument(arg)
    driver = webdriver.Chrome(options=opts, service=Service(executable_path=CHROMEDRIVER))
    driver.set_page_load_timeout(30)
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    yield driver
    driver.quit()


def wait_ready(driver, after: int = 0) -> None:
    WebDriverWait(driver, 20).until(lambda d: int(d.find_element(By.TAG_NAME, "body").get_attribute("data-ready")
                                                  or 0) > after)


def ready_count(driver) -> int:
    return int(driver.find_element(By.TAG_NAME, "body").get_attribute("data-ready") or 0)


def count(driver, view: str) -> int:
    return int(driver.find_element(By.ID, f"count-{view}").get_attribute("data-count"))


def api_counts(base: str, params: dict) -> dict[str, int]:
    with httpx.Client(base_url=base, timeout=30) as c:
        series = c.get("/api/series", params={**params, "interval": "month"}).json()["periods"]
        net = c.get("/api/network", params={**params, "limit": 60}).json()
        places = c.get("/api/places", params={**params, "limit": 2000}).json()["items"]
        table = c.get("/api/mentions", params={**params, "limit": 0}).json()["total"]
    return {
        "timeline": sum(p["count"] for p in series),
        "network": sum(e["count"] for e in net["edges"]),
        "map": sum(p["count"] for p in places if p["lat"] is not None),
        "table": table,
    }


def shown_counts(driver) -> dict[str, int]:
    return {v: count(driver, v) for v in ("timeline", "network", "map", "table")}


def test_views_render_and_counts_match_the_api(site, browser) -> None:
    browser.get(site + "/")
    wait_ready(browser)
    assert browser.find_elements(By.CSS_SELECTOR, "#timeline svg rect.bar")
    assert browser.find_elements(By.CSS_SELECTOR, "#dyad svg rect.bar, #dyad p")
    assert browser.find_elements(By.CSS_SELECTOR, "#network svg path.edge")
    assert len(browser.find_elements(By.CSS_SELECTOR, "#map svg path.land")) > 100
    assert browser.find_elements(By.CSS_SELECTOR, "#map svg circle.place")
    assert len(browser.find_elements(By.CSS_SELECTOR, "#events tbody tr")) == 25
    assert shown_counts(browser) == api_counts(site, {})
    browser.save_screenshot(str(ARTIFACTS / "01-overview.png"))

    # a filter changes every count, and they still equal the API's
    before = shown_counts(browser)
    n = ready_count(browser)
    browser.find_element(By.CSS_SELECTOR, "select[name=country] option[value=IRQ]").click()
    browser.find_element(By.ID, "apply").click()
    wait_ready(browser, n)
    after = shown_counts(browser)
    assert after == api_counts(site, {"country": "IRQ"})
    assert after["table"] < before["table"] and after != before
    browser.save_screenshot(str(ARTIFACTS / "02-filtered-IRQ.png"))
    n = ready_count(browser)
    browser.find_element(By.ID, "clear-filters").click()
    wait_ready(browser, n)

    # the stories table dates each story by its event (the members' vote), not by the day it was first seen
    n = ready_count(browser)
    browser.find_element(By.CSS_SELECTOR, "select[name=mode] option[value=stories]").click()
    browser.find_element(By.ID, "apply").click()
    wait_ready(browser, n)
    rows = browser.find_elements(By.CSS_SELECTOR, "#events tbody tr")
    assert rows
    stories = httpx.get(site + "/api/stories", params={"limit": 25}).json()["items"]
    for row, story in zip(rows, stories, strict=False):
        d = story["date"]
        want = d["start"] if d["end"] in (None, d["start"]) else f"{d['start']}…{d['end']}"
        assert row.find_elements(By.TAG_NAME, "td")[1].text == (want or "—")
    n = ready_count(browser)
    browser.find_element(By.CSS_SELECTOR, "select[name=mode] option[value=mentions]").click()
    browser.find_element(By.ID, "apply").click()
    wait_ready(browser, n)


def test_clicks_open_the_evidence(site, browser) -> None:
    browser.get(site + "/")
    wait_ready(browser)
    # network edge -> the table shows exactly that dyad's mentions, and the dyad chart follows
    edge = browser.find_element(By.CSS_SELECTOR, "#network svg path.edge")
    browser.execute_script("arguments[0].dispatchEvent(new MouseEvent('click', {bubbles: true}))", edge)
    WebDriverWait(browser, 10).until(lambda d: d.find_element(By.ID, "evidence-bar").is_displayed())
    WebDriverWait(browser, 10).until(lambda d: count(d, "table") == int(edge.get_attribute("data-count")))
    assert "Network edge" in browser.find_element(By.ID, "evidence-label").text
    browser.save_screenshot(str(ARTIFACTS / "03-network-edge-evidence.png"))
    # map point -> its place's mentions
    dot = browser.find_element(By.CSS_SELECTOR, "#map svg circle.place")
    browser.execute_script("arguments[0].dispatchEvent(new MouseEvent('click', {bubbles: true}))", dot)
    WebDriverWait(browser, 10).until(lambda d: "Place" in d.find_element(By.ID, "evidence-label").text)
    WebDriverWait(browser, 10).until(lambda d: count(d, "table") == int(dot.get_attribute("data-count")))
    # timeline bar -> that period and QuadClass
    bar = browser.find_element(By.CSS_SELECTOR, "#timeline svg rect.bar")
    browser.execute_script("arguments[0].dispatchEvent(new MouseEvent('click', {bubbles: true}))", bar)
    WebDriverWait(browser, 10).until(lambda d: "Timeline" in d.find_element(By.ID, "evidence-label").text)
    WebDriverWait(browser, 10).until(lambda d: count(d, "table") >= int(bar.get_attribute("data-count")))
    # a table row -> the article reader with the mention's spans highlighted and its codes on hover
    time.sleep(0.5)  # let the evidence table settle
    row = browser.find_element(By.CSS_SELECTOR, "#events tbody tr")
    row_id = row.get_attribute("data-id")
    row.click()
    WebDriverWait(browser, 10).until(lambda d: d.find_elements(By.CSS_SELECTOR, "#reader-mentions li.selected"))
    marks = browser.find_elements(By.CSS_SELECTOR, "#reader-text mark[data-roles]")
    assert marks and all(m.get_attribute("title") for m in marks)
    triggers = [m for m in marks if "trigger" in m.get_attribute("data-roles")]
    assert all("CAMEO" in m.get_attribute("title") for m in triggers)
    assert browser.find_element(By.CSS_SELECTOR, "#reader-mentions li.selected").get_attribute("data-id") == row_id
    browser.save_screenshot(str(ARTIFACTS / "04-article-reader.png"))


def test_watching_panel_lists_feeds_and_alerts(site, browser) -> None:
    browser.get(site + "/")
    wait_ready(browser)
    WebDriverWait(browser, 10).until(lambda d: d.find_elements(By.CSS_SELECTOR, "#feeds tbody tr"))
    rows = browser.find_elements(By.CSS_SELECTOR, "#feeds tbody tr")
    assert [r.find_element(By.TAG_NAME, "td").text for r in rows] == ["other", "world-wire"]
    assert "paused: robots.txt" in rows[0].text and "paused" in rows[0].get_attribute("class")
    alerts = browser.find_elements(By.CSS_SELECTOR, "#alerts > li")
    assert len(alerts) == 1 and "all-stories" in alerts[0].text
    hits = alerts[0].find_elements(By.CSS_SELECTOR, "li.hit")
    assert 1 <= len(hits) <= 3 and all(h.get_attribute("data-story") for h in hits)
    assert "2 feed(s), 1 paused · 1 alert(s)" in browser.find_element(By.ID, "count-watch").text
    browser.execute_script("document.getElementById('watch-view').scrollIntoView()")
    browser.save_screenshot(str(ARTIFACTS / "06-watching.png"))


def test_hostile_article_markup_never_runs(site, browser) -> None:
    browser.get(site + "/")
    wait_ready(browser)
    n = ready_count(browser)
    browser.find_element(By.NAME, "actor").send_keys("IRNGOV")
    browser.find_element(By.ID, "apply").click()
    wait_ready(browser, n)
    row = browser.find_element(By.CSS_SELECTOR, "#events tbody tr[data-id=hostile0000000001]")
    assert HOSTILE_NAME in row.text  # shown as text
    row.click()
    WebDriverWait(browser, 10).until(lambda d: "<script>" in d.find_element(By.ID, "reader-text").text)
    reader = browser.find_element(By.ID, "reader-text")
    assert "onerror" in reader.text and "javascript:" in reader.text
    # nothing the article carries became an element
    assert not browser.find_elements(By.CSS_SELECTOR, "#reader-text script, #reader-text img, #reader-text a, "
                                                      "#reader-text b, main img, main iframe, #evil")
    assert not browser.find_elements(By.CSS_SELECTOR, "#reader-meta a")  # the javascript: URL is not a link
    for mark in browser.find_elements(By.CSS_SELECTOR, "#reader-text mark"):
        webdriver.ActionChains(browser).move_to_element(mark).perform()
    for li in browser.find_elements(By.CSS_SELECTOR, "#reader-mentions li"):
        li.click()
    time.sleep(0.3)
    browser.save_screenshot(str(ARTIFACTS / "05-hostile-article.png"))
    assert browser.execute_script("return window.__pwned === undefined")
