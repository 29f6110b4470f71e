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
    yield from serve(path)


def serve(path: Path, token: str | None = None):
    """The API and dashboard over ``path`` (writes on with ``token``), on a free port, while the fixture lasts."""
    port = free_port()
    server = uvicorn.Server(uvicorn.Config(create_app(path, token=token), host="127.0.0.1", port=port,
                                           log_level="warning"))
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


def drawn_places(places: list[dict]) -> int:
    """What the map draws: places of a city or finer as dots, country-level ones as shaded countries; regions
    ("Mediterranean") are not drawn."""
    return sum(p["count"] for p in places
               if p["precision"] != "region" and (p["lat"] is not None or (p["precision"] == "country" and p["country"])))


def api_counts(base: str, params: dict, mode: str = "mentions", all_factualities: bool = False) -> dict[str, int]:
    """The counts each view should show for the filter, from the API: factual events only unless
    ``all_factualities``; mentions, or in stories mode stories (/api/aggregate and /api/stories)."""
    factual = {**params, "factual": str(not all_factualities).lower()}
    agg = {**params, "count": mode, "all_factualities": str(all_factualities).lower(), "fill": "false"}
    with httpx.Client(base_url=base, timeout=30) as c:
        places = c.get("/api/places", params={**factual, "limit": 5000}).json()["items"]
        if mode == "mentions":
            series = c.get("/api/series", params={**factual, "interval": "month"}).json()["periods"]
            net = c.get("/api/network", params={**factual, "limit": 60}).json()
            return {
                "timeline": sum(p["count"] for p in series),
                "network": sum(e["count"] for e in net["edges"]),
                "map": drawn_places(places),
                "table": c.get("/api/mentions", params={**factual, "limit": 0}).json()["total"],
            }
        timeline = c.get("/api/aggregate", params={**agg, "by": "all", "period": "year"}).json()["rows"]
        dyads = c.get("/api/aggregate", params={**agg, "by": "dyad", "period": "year", "top": 60}).json()["rows"]
        by_place = c.get("/api/aggregate", params={**agg, "by": "place", "period": "year"}).json()["rows"]
        stories = {}
        for r in by_place:
            key = (r["place"], r["place_country"])
            stories[key] = stories.get(key, 0) + r["events"]
        located = [{**p, "count": stories[(p["name"], p["country"])]} for p in places
                   if (p["name"], p["country"]) in stories]
        return {
            "timeline": sum(r["events"] for r in timeline),
            "network": sum(r["events"] for r in dyads),
            "map": drawn_places(located),
            "table": c.get("/api/stories", params={**factual, "limit": 0}).json()["total"],
        }


def shown_counts(driver) -> dict[str, int]:
    return {v: count(driver, v) for v in ("timeline", "network", "map", "table")}


def click(driver, element) -> None:
    """A click on an SVG element (selenium's own click needs it in view and unobscured)."""
    driver.execute_script("arguments[0].dispatchEvent(new MouseEvent('click', {bubbles: true}))", element)


def apply(driver, action) -> None:
    """Do ``action`` and wait for the full refresh it starts."""
    n = ready_count(driver)
    action()
    wait_ready(driver, n)


def view_shots(driver, prefix: str) -> None:
    """A screenshot of each view on its own, as test-artifacts/dashboard/PREFIX-VIEW.png."""
    for view in ("timeline", "dyad", "network", "map", "table", "reader"):
        node = driver.find_element(By.ID, f"{view}-view")
        driver.execute_script("arguments[0].scrollIntoView()", node)
        node.screenshot(str(ARTIFACTS / f"{prefix}-{view}.png"))


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
    assert not browser.find_element(By.ID, "all-factualities").is_selected()  # factual events by default
    # every encoding has a legend, and every count says what it counts
    for view, words in (("timeline", ["QuadClass", "Bar height", "per"]),
                        ("dyad", ["QuadClass", "Bar height", "Goldstein", "right axis"]),
                        ("network", ["Edge colour", "Edge width", "Node size"]),
                        ("map", ["Country shading", "Dots", "cooperation"])):
        legend = browser.find_element(By.ID, f"{view}-legend").text
        assert all(w in legend for w in words), (view, legend)
    assert len(browser.find_elements(By.CSS_SELECTOR, "#timeline-legend .legend-item")) == 4
    for view in ("timeline", "dyad", "network", "map", "table"):
        assert "mention" in browser.find_element(By.ID, f"count-{view}").text
    # the timeline is a time axis: one slot per period from the first to the last, the empty ones included
    assert browser.find_elements(By.CSS_SELECTOR, "#timeline svg text.tick.year")
    # the dyad defaults to the heaviest pair of countries (sectors aggregated: USA*, not USAGOV)
    assert browser.find_element(By.CSS_SELECTOR, "#dyad-form input[name=source]").get_attribute("value").endswith("*")
    if count(browser, "dyad"):
        assert browser.find_elements(By.CSS_SELECTOR, "#dyad svg circle.gdot")
    assert "/api/mentions?" in browser.find_element(By.ID, "dl-csv").get_attribute("href")
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
    # in stories mode every chart counts stories, and the downloads are of stories
    assert shown_counts(browser) == api_counts(site, {}, mode="stories")
    for view in ("timeline", "dyad", "network", "map", "table"):
        assert "stor" in browser.find_element(By.ID, f"count-{view}").text
    for link, fmt in (("dl-csv", "csv"), ("dl-parquet", "parquet")):
        href = browser.find_element(By.ID, link).get_attribute("href")
        assert "/api/stories?" in href and f"format={fmt}" in href and "factual=true" in href
    assert "mode=stories" in browser.current_url
    browser.save_screenshot(str(ARTIFACTS / "07-stories-mode.png"))
    stories = httpx.get(site + "/api/stories", params={"limit": 25, "factual": "true"}).json()["items"]
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
    # (each count is read before the click: a click may redraw the chart, and its element with it)
    edge = browser.find_element(By.CSS_SELECTOR, "#network svg path.edge")
    edge_count = int(edge.get_attribute("data-count"))
    browser.execute_script("arguments[0].dispatchEvent(new MouseEvent('click', {bubbles: true}))", edge)
    WebDriverWait(browser, 10).until(lambda d: d.find_element(By.ID, "evidence-bar").is_displayed())
    WebDriverWait(browser, 10).until(lambda d: count(d, "table") == edge_count)
    assert "Network edge" in browser.find_element(By.ID, "evidence-label").text
    browser.save_screenshot(str(ARTIFACTS / "03-network-edge-evidence.png"))
    # map point -> its place's mentions
    dot = browser.find_element(By.CSS_SELECTOR, "#map svg circle.place")
    dot_count = int(dot.get_attribute("data-count"))
    browser.execute_script("arguments[0].dispatchEvent(new MouseEvent('click', {bubbles: true}))", dot)
    WebDriverWait(browser, 10).until(lambda d: "Place" in d.find_element(By.ID, "evidence-label").text)
    WebDriverWait(browser, 10).until(lambda d: count(d, "table") == dot_count)
    # timeline bar -> that period and QuadClass
    bar = browser.find_element(By.CSS_SELECTOR, "#timeline svg rect.bar")
    bar_count = int(bar.get_attribute("data-count"))
    browser.execute_script("arguments[0].dispatchEvent(new MouseEvent('click', {bubbles: true}))", bar)
    WebDriverWait(browser, 10).until(lambda d: "Timeline" in d.find_element(By.ID, "evidence-label").text)
    WebDriverWait(browser, 10).until(lambda d: count(d, "table") >= bar_count)
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


def test_factual_toggle_counts_equal_the_api(site, browser) -> None:
    browser.get(site + "/")
    wait_ready(browser)
    factual = shown_counts(browser)
    assert factual == api_counts(site, {})
    apply(browser, browser.find_element(By.ID, "all-factualities").click)
    everything = shown_counts(browser)
    assert everything == api_counts(site, {}, all_factualities=True)
    assert everything["table"] > factual["table"]  # the samples have negated and predicted mentions
    assert "all=1" in browser.current_url
    browser.save_screenshot(str(ARTIFACTS / "08-all-factualities.png"))
    apply(browser, browser.find_element(By.ID, "all-factualities").click)
    assert shown_counts(browser) == factual


def pick_article_and_mention(driver) -> tuple[str, str]:
    """Open the first table row's article and select another of its mentions in the reader; their ids."""
    driver.find_element(By.CSS_SELECTOR, "#events tbody tr").click()
    WebDriverWait(driver, 10).until(lambda d: d.find_elements(By.CSS_SELECTOR, "#reader-mentions li.selected"))
    items = driver.find_elements(By.CSS_SELECTOR, "#reader-mentions li")
    target = items[-1]
    target.click()
    mention = target.get_attribute("data-id")
    WebDriverWait(driver, 10).until(lambda d: f"mention={mention}" in d.current_url)
    return driver.find_element(By.ID, "reader-meta").text, mention


def reader_state(driver) -> tuple[str, str]:
    WebDriverWait(driver, 10).until(lambda d: d.find_elements(By.CSS_SELECTOR, "#reader-mentions li.selected"))
    return (driver.find_element(By.ID, "reader-meta").text,
            driver.find_element(By.CSS_SELECTOR, "#reader-mentions li.selected").get_attribute("data-id"))


def test_the_url_reopens_the_view(site, browser) -> None:
    browser.get(site + "/")
    wait_ready(browser)
    browser.find_element(By.CSS_SELECTOR, "select[name=country] option[value=IRQ]").click()
    apply(browser, browser.find_element(By.ID, "apply").click)
    apply(browser, browser.find_element(By.ID, "all-factualities").click)
    click(browser, browser.find_element(By.CSS_SELECTOR, "#map svg circle.place"))
    WebDriverWait(browser, 10).until(lambda d: "ev=place" in d.current_url)
    WebDriverWait(browser, 10).until(lambda d: "Place" in d.find_element(By.ID, "evidence-label").text)
    time.sleep(0.3)
    meta, mention = pick_article_and_mention(browser)
    url = browser.current_url
    assert all(k in url for k in ("country=IRQ", "all=1", "ev=place", "e.place=", "article=", f"mention={mention}"))
    counts = shown_counts(browser)
    assert counts == {**api_counts(site, {"country": "IRQ"}, all_factualities=True), "table": counts["table"]}
    label = browser.find_element(By.ID, "evidence-label").text

    browser.get("about:blank")
    browser.get(url)
    wait_ready(browser)
    assert shown_counts(browser) == counts
    assert browser.find_element(By.ID, "evidence-label").text == label
    assert reader_state(browser) == (meta, mention)
    assert browser.find_element(By.CSS_SELECTOR, "select[name=country]").get_attribute("value") == "IRQ"
    assert browser.find_element(By.ID, "all-factualities").is_selected()
    browser.save_screenshot(str(ARTIFACTS / "09-url-reopened.png"))


def test_back_and_forward_restore_the_earlier_view(site, browser) -> None:
    browser.get(site + "/")
    wait_ready(browser)
    unfiltered = shown_counts(browser)
    browser.find_element(By.CSS_SELECTOR, "select[name=country] option[value=IRQ]").click()
    apply(browser, browser.find_element(By.ID, "apply").click)
    filtered = shown_counts(browser)
    assert filtered != unfiltered
    browser.find_element(By.ID, "next").click() if browser.find_element(By.ID, "next").is_enabled() else None
    meta, mention = pick_article_and_mention(browser)
    # back: the mention selected before; back again: the article unopened; again: no filter
    apply(browser, browser.back)
    assert reader_state(browser)[0] == meta and reader_state(browser)[1] != mention
    apply(browser, browser.back)
    assert "article=" not in browser.current_url
    assert not browser.find_elements(By.CSS_SELECTOR, "#reader-mentions li")
    while "country=IRQ" in browser.current_url:
        apply(browser, browser.back)
    assert shown_counts(browser) == unfiltered
    assert browser.find_element(By.CSS_SELECTOR, "select[name=country]").get_attribute("value") == ""
    apply(browser, browser.forward)
    assert shown_counts(browser)["timeline"] == filtered["timeline"]
    assert browser.find_element(By.CSS_SELECTOR, "select[name=country]").get_attribute("value") == "IRQ"


def test_a_malformed_url_is_ignored(site, browser) -> None:
    bad = ("/?since=2024-13-45&until=yesterday&quad_class=9&country=ZZZ&plover=%3Cb%3E&factuality=maybe"
           "&mode=everything&all=yes&offset=-25&ev=bogus&e.place=&src=" + "X" * 300 +
           "&article=%3Cscript%3Ewindow.__pwned%3D1%3C/script%3E&mention=nope&e.quad_class=7")
    browser.get(site + bad)
    wait_ready(browser)
    assert shown_counts(browser) == api_counts(site, {})
    assert browser.find_element(By.ID, "evidence-bar").get_attribute("hidden") is not None
    assert browser.find_element(By.CSS_SELECTOR, "select[name=country]").get_attribute("value") == ""
    assert "since=" not in browser.current_url and "quad_class" not in browser.current_url  # dropped
    assert browser.execute_script("return window.__pwned === undefined")
    assert not browser.find_elements(By.CSS_SELECTOR, "#reader-text script")
    browser.save_screenshot(str(ARTIFACTS / "10-malformed-url.png"))


def test_network_by_country_links_prefix_dyads(site, browser) -> None:
    browser.get(site + "/?bycountry=1")
    wait_ready(browser)
    assert browser.find_element(By.ID, "network-by-country").is_selected()
    edge = next(e for e in browser.find_elements(By.CSS_SELECTOR, "#network svg path.edge")
                if e.get_attribute("data-source") != e.get_attribute("data-target"))
    src, tgt, n = (edge.get_attribute(a) for a in ("data-source", "data-target", "data-count"))
    click(browser, edge)
    WebDriverWait(browser, 10).until(lambda d: count(d, "table") == int(n))
    form = browser.find_element(By.ID, "dyad-form")
    assert form.find_element(By.NAME, "source").get_attribute("value") == f"{src}*"
    assert form.find_element(By.NAME, "target").get_attribute("value") == f"{tgt}*"
    WebDriverWait(browser, 10).until(lambda d: f"{src}* → {tgt}*" in d.find_element(By.ID, "count-dyad").text)
    assert f"src={src}*" in browser.current_url.replace("%2A", "*")  # a chosen dyad is in the URL
    browser.save_screenshot(str(ARTIFACTS / "11-network-by-country.png"))


def test_reader_list_numbers_are_not_clipped(site, browser) -> None:
    browser.get(site + "/")
    wait_ready(browser)
    browser.find_element(By.CSS_SELECTOR, "#events tbody tr").click()
    WebDriverWait(browser, 10).until(lambda d: d.find_elements(By.CSS_SELECTOR, "#reader-mentions li.selected"))
    # the number is drawn inside the list's box (a counter column), never in the padding the scroll box clips
    before = browser.execute_script(
        "const li = document.querySelector('#reader-mentions li');"
        "return [getComputedStyle(li, '::before').content, getComputedStyle(li.parentNode).listStyleType];")
    assert "counter" in before[0] or before[0].strip('"').rstrip(".").isdigit()
    assert before[1] == "none"


# ---------------------------------------------------------------- a store of real news

GUARDIAN = Path(__file__).resolve().parents[2] / "shared" / "corpus" / "guardian_syria" / "articles.jsonl"


@pytest.fixture(scope="module")
def guardian_site(tmp_path_factory, coder):
    if not GUARDIAN.exists():
        pytest.skip(f"no real-news corpus at {GUARDIAN} (the shared folder beside the repository)")
    tmp = tmp_path_factory.mktemp("guardian")
    first = tmp / "first40.jsonl"  # (a temp file: no article text goes into the repository)
    with GUARDIAN.open(encoding="utf-8") as src:
        first.write_text("".join(line for _, line in zip(range(40), src, strict=False)), encoding="utf-8")
    path = tmp / "guardian.duckdb"
    summary = ingest([first], Store(path), coder_factory=lambda: coder)
    assert summary.coded > 0
    yield from serve(path)


def test_real_news_renders_every_view(guardian_site, browser) -> None:
    browser.get(guardian_site + "/")
    wait_ready(browser)
    shown = shown_counts(browser)
    assert shown == api_counts(guardian_site, {})
    assert all(n > 0 for n in shown.values()), shown
    assert count(browser, "dyad") > 0
    assert browser.find_elements(By.CSS_SELECTOR, "#map svg path.land.country")  # country-level places shaded
    assert browser.find_elements(By.CSS_SELECTOR, "#map svg circle.place")
    browser.find_element(By.CSS_SELECTOR, "#events tbody tr").click()
    WebDriverWait(browser, 10).until(lambda d: d.find_elements(By.CSS_SELECTOR, "#reader-mentions li.selected"))
    browser.save_screenshot(str(ARTIFACTS / "guardian-overview.png"))
    view_shots(browser, "guardian")
    apply(browser, lambda: (browser.find_element(By.CSS_SELECTOR, "select[name=mode] option[value=stories]").click(),
                            browser.find_element(By.ID, "apply").click()))
    shown = shown_counts(browser)
    assert shown == api_counts(guardian_site, {}, mode="stories")
    assert all(n > 0 for n in shown.values()), shown
    browser.find_element(By.ID, "network-by-country").click()
    WebDriverWait(browser, 10).until(lambda d: "country pairs" in d.find_element(By.ID, "count-network").text)
    view_shots(browser, "guardian-stories")


# ---------------------------------------------------------------- corrections from the dashboard

TOKEN = "correcting-token"
HOSTILE_REASON = "<img src=x onerror=\"window.__pwned='reason'\"> not an event"


@pytest.fixture(scope="module")
def correcting_site(tmp_path_factory, coder):
    tmp = tmp_path_factory.mktemp("web-corrections")
    path = tmp / "web.duckdb"
    store = Store(path)
    ingest([SAMPLES_DIR], store, coder_factory=lambda: coder)
    hostile = tmp / "hostile.jsonl"
    hostile.write_text(json.dumps({"id": "hostile-article", "published": "2024-03-02", "text": HOSTILE_TEXT}) + "\n")
    ingest([hostile], store, code=False)
    replace_mentions(store, "hostile-article", [hostile_mention("hostile-article")])
    for url in serve(path, token=TOKEN):
        yield url, path


def cli_counts(path: Path, tmp: Path, *raw: str) -> tuple[int, int]:
    """Mentions that `dragoman events --mentions` lists and `dragoman export --mentions` writes."""
    from click.testing import CliRunner

    from dragoman.cli import main

    runner = CliRunner()
    listed = runner.invoke(main, ["--db", str(path), "events", "--mentions", "--factual", "--format", "jsonl", *raw])
    out = tmp / "export.tsv"
    exported = runner.invoke(main, ["--db", str(path), "export", "--format", "gdelt", "--mentions", "--factual",
                                    "-o", str(out), *raw])
    assert listed.exit_code == 0 and exported.exit_code == 0, listed.output + exported.output
    return (sum(1 for line in listed.output.splitlines() if line.startswith("{")),
            len(out.read_text().splitlines()))


def counted_mention(base: str) -> dict:
    """A factual, dated, located mention with both actors: one every chart and the table count."""
    with httpx.Client(base_url=base, timeout=30) as c:
        for m in c.get("/api/mentions", params={"factual": "true", "limit": 200}).json()["items"]:
            if m["source"] and m["target"] and (m["date"] or {}).get("start") and m["location"] \
                    and m["location"].get("lat") is not None:
                return m
    raise AssertionError("no mention every view counts")


def save_correction(driver, action: str, reason: str, fields: dict[str, str] | None = None) -> None:
    form = WebDriverWait(driver, 10).until(lambda d: d.find_element(By.ID, "correction-form"))
    form.find_element(By.CSS_SELECTOR, f"select[name=action] option[value={action}]").click()
    for name, value in (fields or {}).items():
        field = form.find_element(By.NAME, name)
        field.clear()
        field.send_keys(value)
    form.find_element(By.NAME, "reason").send_keys(reason)
    apply(driver, form.find_element(By.CSS_SELECTOR, "button[type=submit]").click)
    WebDriverWait(driver, 10).until(lambda d: "saved" in d.find_element(By.CSS_SELECTOR, ".correction-msg").text
                                    or d.find_elements(By.CSS_SELECTOR, "#corrections tbody tr"))


def test_a_correction_in_the_dashboard_changes_every_count_survives_a_recode_and_is_undone(
        correcting_site, browser, tmp_path) -> None:
    from click.testing import CliRunner

    from dragoman.cli import main

    base, path = correcting_site
    m = counted_mention(base)
    before, cli_before = api_counts(base, {}), cli_counts(path, tmp_path)
    browser.get(f"{base}/?article={m['article_id']}&mention={m['id']}")
    wait_ready(browser)
    assert shown_counts(browser) == before
    assert not browser.find_elements(By.ID, "correction-form")  # no token yet: no form
    token_form = browser.find_element(By.ID, "token-form")
    token_form.find_element(By.NAME, "analyst").send_keys("ana")
    token_form.find_element(By.NAME, "token").send_keys(TOKEN)
    token_form.find_element(By.CSS_SELECTOR, "button").click()
    save_correction(browser, "wrong", HOSTILE_REASON)

    # every chart, the table, `dragoman events` and `dragoman export` count it no more
    after = shown_counts(browser)
    assert after == api_counts(base, {})
    assert {k: before[k] - after[k] for k in before} == {"timeline": 1, "network": 1, "map": 1, "table": 1}
    assert cli_counts(path, tmp_path) == (cli_before[0] - 1, cli_before[1] - 1)
    row = browser.find_element(By.CSS_SELECTOR, "#corrections tbody tr")
    assert HOSTILE_REASON in row.text and "marked wrong" in row.text and "ana" in row.text
    assert browser.execute_script("return window.__pwned === undefined")  # the reason stayed text
    assert m["id"] not in [li.get_attribute("data-id") for li in browser.find_elements(By.CSS_SELECTOR, "#reader-mentions li")]
    browser.save_screenshot(str(ARTIFACTS / "12-correction-saved.png"))

    # the raw coding shows the original
    apply(browser, browser.find_element(By.ID, "raw-coding").click)
    assert shown_counts(browser) == before and "raw=1" in browser.current_url
    assert m["id"] in [li.get_attribute("data-id") for li in browser.find_elements(By.CSS_SELECTOR, "#reader-mentions li")]
    apply(browser, browser.find_element(By.ID, "raw-coding").click)

    # a recode (the coder's rows replaced) keeps the correction
    recoded = CliRunner().invoke(main, ["--db", str(path), "recode", "--all", "--force"])
    assert recoded.exit_code == 0, recoded.output
    browser.refresh()
    wait_ready(browser)
    assert shown_counts(browser) == after

    # a fix of fields from the form, on another mention: the table shows the analyst's code
    browser.find_element(By.CSS_SELECTOR, "#reader-mentions li").click()
    WebDriverWait(browser, 10).until(lambda d: d.find_element(By.ID, "correction-form"))
    fixed = browser.find_element(By.ID, "mention-tools").get_attribute("data-mention-id")
    save_correction(browser, "fix", "a shelling, not a statement", {"cameo": "195"})
    with httpx.Client(base_url=base, timeout=30) as c:
        assert c.get(f"/api/mentions/{fixed}").json()["mention"]["cameo"] == "195"
    assert "195" in browser.find_element(By.CSS_SELECTOR, "#reader-mentions li.selected").text
    browser.save_screenshot(str(ARTIFACTS / "13-correction-form.png"))

    # the form over a hostile article's mention: its names are form values, never markup (the recode above
    # coded the article as the coder reads it: the hostile mention again)
    replace_mentions(Store(path), "hostile-article", [hostile_mention("hostile-article")])
    browser.get(f"{base}/?article=hostile-article&mention=hostile0000000001")
    wait_ready(browser)
    form = WebDriverWait(browser, 10).until(lambda d: d.find_element(By.ID, "correction-form"))
    assert form.find_element(By.NAME, "place").get_attribute("value").startswith("Tehran<svg")
    save_correction(browser, "fix", "<script>window.__pwned='form'</script>", {"target": "none"})
    assert browser.execute_script("return window.__pwned === undefined")
    assert "<script>" in browser.find_element(By.CSS_SELECTOR, "#corrections tbody tr").text

    # undone from the panel, one at a time: the counts are the coder's again
    while browser.find_elements(By.CSS_SELECTOR, "#corrections button.undo"):
        apply(browser, browser.find_elements(By.CSS_SELECTOR, "#corrections button.undo")[0].click)
    assert shown_counts(browser) == api_counts(base, {}) == api_counts(base, {"raw": "true"})
    assert len(browser.find_elements(By.CSS_SELECTOR, "#corrections tbody tr.undone")) == 3
    browser.save_screenshot(str(ARTIFACTS / "14-corrections-undone.png"))
