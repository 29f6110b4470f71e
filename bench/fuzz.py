"""Fuzz `dragoman ingest` with hostile and careless input, and check that it costs only itself.

    .venv/bin/python bench/fuzz.py [--count 3000] [--good 48] [--seed 11] [--code] [--keep DIR]

Generates ``--count`` hostile inputs in a temporary folder: crafted ones for every failure ever reproduced
(JSON nested 100,000 deep, lone surrogate escapes, 5,000-digit integers, years 9999 and 0001, file names that are
not UTF-8 or carry terminal escapes, nested JSON-LD, a million characters without a blank line, tags with tens of
thousands of attributes, gzip bombs of ``{}`` lines and of newlines, feeds of 118,000 one-character entries,
entity expansion, escaped markup bombs) and random mutations of seed documents of every kind (text, HTML, JSON
Lines, RSS/Atom, gzip), with ``--good`` good articles of our own mixed in (text, HTML, JSON Lines among bad
lines, feeds among bad entries, gzip). A server on 127.0.0.1 adds hostile URLs (a markup bomb, a malformed
redirect, a redirect loop, a gzip-encoded bomb, a server that trickles its headers).

Then it runs the real CLI, ``dragoman ingest --no-code`` (``--code``: with the coder) over all of it into a
temporary store, reads every input once more on its own through the readers (to time each one), and prints:
crashes (tracebacks, or a reader's "unexpected error"), inputs over 10 s, error lines, the CLI's peak RSS,
whether every good article was stored, and the command line. Acceptance: 0 crashes, 0 inputs over 10 s (a URL
may take its fetch deadline, ``settings.FETCH_TIMEOUT_S``, and no longer), peak RSS <= 1 GB, every good article
stored.
"""

from __future__ import annotations

import argparse
import contextlib
import gzip
import json
import os
import random
import resource
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from dragoman import settings  # noqa: E402

DRAGOMAN = Path(sys.executable).with_name("dragoman")
SLOW_S = 10.0
MAX_RSS_MB = 1024

# ---------------------------------------------------------------- good articles of our own, from templates

COUNTRIES = [("Ghana", "Accra"), ("Peru", "Lima"), ("Mongolia", "Ulaanbaatar"), ("Tunisia", "Tunis"),
             ("Vietnam", "Hanoi"), ("Bolivia", "La Paz"), ("Estonia", "Tallinn"), ("Zambia", "Lusaka"),
             ("Nepal", "Kathmandu"), ("Uruguay", "Montevideo"), ("Jordan", "Amman"), ("Senegal", "Dakar")]
ACTIONS = ["signed a trade agreement with", "held talks with", "accused", "pledged aid to", "criticised",
           "agreed to share river data with", "recalled its ambassador from", "opened a border crossing with"]
TOPICS = ["grain exports", "a disputed dam", "fishing quotas", "a rail link", "electricity prices",
          "refugee returns", "a copper mine", "airline routes", "vaccine deliveries", "a customs union"]
DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday"]


def good_articles(n: int, rng: random.Random) -> list[dict[str, str]]:
    out = []
    for i in range(n):
        (a, a_city), (b, _b_city) = rng.sample(COUNTRIES, 2)
        action, topic, day = rng.choice(ACTIONS), rng.choice(TOPICS), rng.choice(DAYS)
        marker = f"Dispatch GA-{i:03d}"
        text = (
            f"{a} {action} {b} on {day} after weeks of tension over {topic}, officials in {a_city} said. "
            f"The foreign ministry of {a} said the decision followed a meeting of senior envoys, and a "
            f"spokesman for the government of {b} promised a formal reply within {rng.randint(2, 9)} days. "
            f"Analysts said the move on {topic} could affect talks planned for next month. {marker}."
        )
        out.append({"id": f"good-{i:03d}", "title": f"{a} and {b} at odds over {topic}", "text": text,
                    "marker": marker, "published": f"2024-0{rng.randint(1, 9)}-1{rng.randint(0, 9)}"})
    return out


def html_page(title: str, text: str, extra_head: str = "", extra_body: str = "") -> str:
    paragraphs = "".join(f"<p>{s.strip()}.</p>" for s in text.split(". ") if s.strip())
    return (f"<!doctype html><html><head><title>{title}</title>{extra_head}</head><body><nav><a href='/'>Home"
            f"</a></nav><article><h1>{title}</h1>{paragraphs}</article>{extra_body}<footer>Contact</footer>"
            "</body></html>")


def rss(items: list[str], title: str = "Fuzz Wire") -> str:
    return f'<?xml version="1.0"?><rss version="2.0"><channel><title>{title}</title>{"".join(items)}</channel></rss>'


def rss_item(guid: str, body: str, pub: str = "Mon, 06 May 2024 10:00:00 GMT") -> str:
    return (f"<item><guid>{guid}</guid><title>Entry {guid}</title><pubDate>{pub}</pubDate>"
            f"<description>{escape(body)}</description></item>")


def escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


# ---------------------------------------------------------------- crafted hostile inputs

SEED_TEXT = ("Protesters gathered outside the parliament in Tallinn on Friday to oppose a new fuel tax, and police "
             "said the crowd dispersed peacefully by the evening.")


def crafted() -> list[tuple[bytes, bytes]]:
    """(file name as bytes, content) of every hostile case reproduced in the issue, and relatives."""
    deep = "[" * 100_000 + "]" * 100_000
    line = json.dumps({"id": "fz-seed", "text": SEED_TEXT})
    attrs_565k = "<p " + " ".join(f"a{i}=x" for i in range(60_000)) + ">" + SEED_TEXT + "</p>"
    attrs_3m = "<p " + " ".join(f"data-k{i}='v'" for i in range(300_000)) + ">" + SEED_TEXT + "</p>"
    ld_deep = '{"a": ' * 100_000 + "1" + "}" * 100_000
    ld_wide = json.dumps([{"x": i} for i in range(150_000)])
    million = ("the committee discussed the budget line by line and adjourned " * 20_000)
    laughs = ('<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
              + "".join(f'<!ENTITY lol{i} "{("&lol" + str(i - 1) + ";") * 10 if i else "&lol;" * 10}">'
                        for i in range(10))
              + ']><rss version="2.0"><channel><title>&lol9;</title><item><guid>x</guid><description>&lol9;'
              "</description></item></channel></rss>")
    xxe = ('<?xml version="1.0"?><!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]><rss version="2.0">'
           f"<channel><title>t</title><item><guid>xxe</guid><description>&x; {SEED_TEXT}</description></item>"
           "</channel></rss>")
    cases: list[tuple[bytes, bytes]] = [
        (b"c-deep.jsonl", (deep + "\n").encode()),
        (b"c-deep-object.jsonl", ('{"a":' * 100_000 + "1" + "}" * 100_000 + "\n").encode()),
        (b"c-surrogate.jsonl", ('{"id": "fz-s", "text": "' + SEED_TEXT + ' \\ud800", "title": "\\udfff"}\n').encode()),
        (b"c-bigint.jsonl", ('{"id": "fz-b", "text": "' + SEED_TEXT + '", "n": ' + "9" * 5000 + "}\n").encode()),
        (b"c-bigint-text.jsonl", ('{"text": ' + "1" * 5000 + "}\n").encode()),
        (b"c-year9999.jsonl", (json.dumps({"id": "fz-y9", "text": SEED_TEXT + " On May 3 they returned.",
                                           "published": "9999-12-31"}) + "\n").encode()),
        (b"c-year0001.jsonl", (json.dumps({"id": "fz-y1", "text": SEED_TEXT + " Last year it rained.",
                                           "published": "0001-01-01T00:00:00+05:00"}) + "\n").encode()),
        (b"c-nan.jsonl", ('{"id": "fz-n", "text": "' + SEED_TEXT + '", "x": NaN, "y": -Infinity, "z": 1e999}\n').encode()),
        (b"c-deep-extra.jsonl", (json.dumps({"text": SEED_TEXT, "m": json.loads('{"k":' * 200 + "1" + "}" * 200)})
                                 + "\n").encode()),
        (b"c-empty-objects.jsonl", b"{}\n" * 300_000),
        (b"c-empty-objects.jsonl.gz", gzip.compress(b"{}\n" * 3_500_000, 9)),
        (b"c-newlines.jsonl.gz", gzip.compress(b"\n" * 100_000_000, 9)),
        (b"c-newlines.jsonl", b"\n" * 20_000_000),
        (b"c-oversized-line.jsonl", b'{"text": "' + b"a" * 6_000_000 + b'"}\n' + line.encode() + b"\n"),
        (b"c-nul.jsonl", b'{"text": "\x00"}\n'),
        (b"c-latin1.jsonl", '{"text": "caf\xe9 ' .encode("latin-1") + SEED_TEXT.encode() + b'"}\n'),
        (b"c-bom-garbage.jsonl", b"\xef\xbb\xbf\xef\xbb\xbf{\n"),
        (b"c-attrs-565k.html", html_page("Attributes", "", extra_body=attrs_565k).encode()),
        (b"c-attrs-3m.html", html_page("Attributes", "", extra_body=attrs_3m).encode()),
        (b"c-many-tags.html", html_page("Tags", SEED_TEXT, extra_body="<b>x</b>" * 500_000).encode()),
        (b"c-deep-divs.html", html_page("Deep", SEED_TEXT, extra_body="<div>" * 100_000).encode()),
        (b"c-ld-deep.html", html_page("LD", SEED_TEXT * 2, f'<script type="application/ld+json">{ld_deep}</script>')
         .encode()),
        (b"c-ld-wide.html", html_page("LD", SEED_TEXT * 2, f'<script type="application/ld+json">{ld_wide}</script>')
         .encode()),
        (b"c-meta-9999.html", html_page("Future", SEED_TEXT * 2,
                                        '<meta property="article:published_time" content="9999-12-31T23:00:00-08:00">')
         .encode()),
        (b"c-script-lt.html", html_page("Script", SEED_TEXT * 2, "<script>" + "if (a<b) x();\n" * 50_000
                                        + "</script>").encode()),
        (b"c-entities.html", html_page("Entities", SEED_TEXT + " " + "&amp;" * 800_000).encode()),
        (b"c-comment.html", html_page("Comment", SEED_TEXT * 2, "<!--" + "<p>" * 100_000 + "-->").encode()),
        (b"c-million.html", html_page("Long", million).encode()),
        (b"c-utf16.html", html_page("UTF-16", SEED_TEXT * 2).encode("utf-16-le")),
        (b"c-charset-lie.html", html_page("Lie", SEED_TEXT * 2, '<meta charset="utf-32">').encode()),
        (b"c-one-char-entries.xml", rss(["<item><description>x</description></item>"] * 118_000).encode()),
        (b"c-escaped-bomb.xml", rss([rss_item("eb", "<b>x</b>" * 200_000 + SEED_TEXT)]).encode()),
        (b"c-cdata-bomb.xml", rss(["<item><guid>cb</guid><description><![CDATA[" + "<i>y</i>" * 200_000
                                   + "]]></description></item>"]).encode()),
        (b"c-cdata-attrs.xml", rss(["<item><guid>ca</guid><description><![CDATA[" + attrs_565k
                                    + "]]></description></item>"]).encode()),
        (b"c-escaped-attrs.xml", rss([rss_item("ea", attrs_565k)]).encode()),
        (b"c-laughs.xml", laughs.encode()),
        (b"c-xxe.xml", xxe.encode()),
        (b"c-feed-deep.xml", rss(["<x>" * 100_000 + "</x>" * 100_000, rss_item("fd", SEED_TEXT)]).encode()),
        (b"c-feed-9999.xml", rss([rss_item("f9", SEED_TEXT, "Fri, 31 Dec 9999 23:59:59 -1200")]).encode()),
        (b"c-feed-5000.xml", rss([rss_item(f"many-{i}", SEED_TEXT + f" Item {i}.") for i in range(5000)]).encode()),
        (b"c-atom-many.atom", ('<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom"><title>A</title>'
                               + "<entry><id>e</id><content>x</content></entry>" * 50_000 + "</feed>").encode()),
        (b"c-million.txt", million.encode()),
        (b"c-million-nospace.txt", b"x" * 1_500_000),
        (b"c-trailer-flood.txt", (SEED_TEXT + "\n" + "Related\n" * 600_000).encode()),
        (b"c-controls.txt", (SEED_TEXT + " \x1b[2J\x1b]0;owned\x07 \u202e reversed").encode()),
        (b"c-cesu.txt", SEED_TEXT.encode() + b" \xed\xa0\x80"),
        (b"c-whitespace.txt", b" \n\t\r\n" * 200_000),
        (b"c-binary.txt", bytes(range(256)) * 100),
        (b"c-space-bomb.html.gz", gzip.compress(b" " * 200_000_000, 9)),
        (b"c-space-bomb.txt.gz", gzip.compress(b" " * 200_000_000, 9)),
        (b"c-space-bomb.xml.gz", gzip.compress(b" " * 200_000_000, 9)),
        (b"c-truncated.jsonl.gz", gzip.compress((line + "\n").encode() * 1000)[:300]),
        (b"c-not-gzip.txt.gz", SEED_TEXT.encode()),
        (b"c-members.jsonl.gz", gzip.compress((line + "\n").encode()) * 3),
        (b"c-\xff\xfe-name.txt", (SEED_TEXT + " Name one.").encode()),
        (b"c-r\xe9sum\xe9.jsonl", (json.dumps({"id": "fz-name", "text": SEED_TEXT}) + "\n").encode()),
        (b"c-escape-\x1b[31mred\x1b[0m.txt", b"\x00\x01binary"),
        (b"c-newline-\nname.txt", (SEED_TEXT + " Name two.").encode()),
        (b"c-rtl-\xe2\x80\xaetxt.exe.txt", b""),
        (b"c-" + b"n" * 240 + b".txt", (SEED_TEXT + " Name three.").encode()),
    ]
    return cases


# ---------------------------------------------------------------- mutations of seed documents

FRAGMENTS = [b"\x00", b"\xff\xfe", b"\xed\xa0\x80", b"{" * 50, b"[" * 3000, b"<p", b"<!--", b"]]>", b"&#xD800;",
             b"&lol;", b"\\ud800", b"\n\n", b"\r", b"<script>", b"</div>" * 20, b"9" * 400, b"<![CDATA[",
             b"\x1b[2J", b"<item>", b"</item>", b"<entry>", b'"published": "9999-12-31"', b"<meta charset=x>",
             b"<div>" * 300, b" a=1" * 300]


def seeds() -> dict[str, bytes]:
    text = SEED_TEXT
    return {
        "txt": (f"Tax protest in Tallinn\n\n{text}\n\nSource: Baltic Desk\n").encode(),
        "html": html_page("Tax protest", text * 2,
                          '<meta property="article:published_time" content="2024-05-03T09:00:00Z">'
                          '<script type="application/ld+json">{"datePublished": "2024-05-03"}</script>').encode(),
        "jsonl": "\n".join(json.dumps({"id": f"fz-m{i}", "text": text + f" Line {i}.", "published": "2024-05-03"})
                           for i in range(5)).encode() + b"\n",
        "xml": rss([rss_item(f"fz-e{i}", f"<p>{text} Entry {i}.</p>") for i in range(4)]).encode(),
        "atom": ('<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom"><title>Desk</title>'
                 f'<entry><id>fz-a1</id><title>t</title><content type="html">{escape("<p>" + text + "</p>")}'
                 "</content><updated>2024-05-03T10:00:00Z</updated></entry></feed>").encode(),
    }


def mutate(data: bytes, rng: random.Random) -> bytes:
    out = bytearray(data)
    for _ in range(rng.randint(1, 6)):
        op = rng.randrange(7)
        pos = rng.randrange(len(out) + 1)
        if op == 0 and out:  # flip bytes
            for _ in range(rng.randint(1, 8)):
                out[rng.randrange(len(out))] = rng.randrange(256)
        elif op == 1:  # insert a hostile fragment, sometimes many times
            out[pos:pos] = rng.choice(FRAGMENTS) * rng.choice([1, 1, 2, 10, 200])
        elif op == 2 and out:  # delete a range
            del out[pos:pos + rng.randint(1, 200)]
        elif op == 3 and out:  # truncate
            del out[rng.randrange(len(out)):]
        elif op == 4 and out:  # duplicate a range
            end = min(len(out), pos + rng.randint(1, 400))
            out[pos:pos] = bytes(out[pos:end]) * rng.randint(2, 50)
        elif op == 5:  # random bytes
            out[pos:pos] = bytes(rng.randrange(256) for _ in range(rng.randint(1, 64)))
        else:  # swap two halves
            out = out[pos:] + out[:pos]
    return bytes(out)


def mutated(count: int, rng: random.Random) -> list[tuple[bytes, bytes]]:
    base = seeds()
    suffix = {"txt": ".txt", "html": ".html", "jsonl": ".jsonl", "xml": ".xml", "atom": ".atom"}
    out = []
    for i in range(count):
        kind = rng.choice(sorted(base))
        data = mutate(base[kind], rng)
        name = f"m{i:04d}{suffix[kind]}"
        if rng.random() < 0.15:
            data, name = (gzip.compress(data) if rng.random() < 0.8 else mutate(gzip.compress(data), rng)), name + ".gz"
        out.append((name.encode(), data))
    return out


# ---------------------------------------------------------------- writing the inputs


def write_inputs(folder: Path, hostile: list[tuple[bytes, bytes]], good: list[dict[str, str]],
                 rng: random.Random) -> dict[str, str]:
    """Write everything under ``folder``; returns the marker of each good article -> the file holding it."""
    raw = os.fsencode(folder)
    for name, data in hostile:
        with open(os.path.join(raw, name), "wb") as handle:
            handle.write(data)
    where: dict[str, str] = {}
    junk = [b"{}", b"not json", b"[" * 50_000, b'{"text": "\\ud800"}', b'{"text": 1' + b"0" * 5000 + b"}", b""]
    for i, art in enumerate(good):
        kind = i % 6
        if kind == 0:
            name, data = f"g{i:03d}.txt", f"{art['title']}\n\n{art['text']}\n".encode()
        elif kind == 1:
            name, data = f"g{i:03d}.html", html_page(art["title"], art["text"]).encode()
        elif kind == 2:  # a good line among bad ones
            lines = [rng.choice(junk) for _ in range(rng.randint(20, 60))]
            lines.insert(rng.randrange(len(lines)), json.dumps({k: art[k] for k in ("id", "title", "text",
                                                                                    "published")}).encode())
            name, data = f"g{i:03d}.jsonl", b"\n".join(lines) + b"\n"
        elif kind == 3:  # a good entry among bad ones
            items = [f"<item><guid>bad-{i}-{j}</guid><description>{rng.choice(['x', '', '&lt;b&gt;'])}</description>"
                     "</item>" for j in range(rng.randint(20, 60))]
            items.insert(rng.randrange(len(items)), rss_item(art["id"], f"<p>{art['text']}</p>"))
            name, data = f"g{i:03d}.xml", rss(items).encode()
        elif kind == 4:
            name, data = f"g{i:03d}.html.gz", gzip.compress(html_page(art["title"], art["text"]).encode())
        else:
            lines = [json.dumps({k: art[k] for k in ("id", "title", "text", "published")}).encode(), b"{}"]
            name, data = f"g{i:03d}.jsonl.gz", gzip.compress(b"\n".join(lines) + b"\n")
        (folder / name).write_bytes(data)
        where[art["marker"]] = name
    return where


# ---------------------------------------------------------------- hostile URLs on 127.0.0.1


class HostileServer:
    """A few hostile answers on 127.0.0.1 (loopback only), for the URL side of the readers."""

    def __init__(self) -> None:
        bomb = html_page("Bomb", "", extra_body="<p " + " ".join(f"a{i}=x" for i in range(80_000)) + ">x</p>")
        self.routes: dict[str, tuple[int, dict[str, str], bytes]] = {
            "/bomb.html": (200, {"Content-Type": "text/html"}, bomb.encode()),
            "/bad-location": (302, {"Location": "http://[::1"}, b""),
            "/bad-port": (302, {"Location": "http://example.invalid:99999/"}, b""),
            "/loop": (302, {"Location": "/loop"}, b""),
            "/gzip-bomb.html": (200, {"Content-Type": "text/html", "Content-Encoding": "gzip"},
                                gzip.compress(b"<p>" + b"a" * 100_000_000, 9)),
            "/lying-length.html": (200, {"Content-Type": "text/html", "Content-Length": "999999999999"}, b"<p>x"),
            "/feed.xml": (200, {"Content-Type": "application/rss+xml"},
                          rss(["<item><description>x</description></item>"] * 50_000).encode()),
        }
        routes = self.routes

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802 - the http.server API
                if self.path == "/trickle":
                    self.wfile.write(b"HTTP/1.1 200 OK\r\n")
                    try:
                        for _ in range(120):  # one header byte every 0.25 s, for 30 s at most
                            self.wfile.write(b"X")
                            self.wfile.flush()
                            time.sleep(0.25)
                    except OSError:
                        pass
                    return
                status, headers, body = routes.get(self.path, (404, {}, b""))
                self.send_response(status)
                for key, value in headers.items():
                    self.send_header(key, value)
                if "Content-Length" not in headers:
                    self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                with contextlib.suppress(OSError):  # the reader may hang up first, as it should
                    self.wfile.write(body)

            def log_message(self, *args: object) -> None:
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.base = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    def urls(self) -> list[str]:
        return [self.base + path for path in [*self.routes, "/trickle"]]

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


# ---------------------------------------------------------------- the checks


def guard_checks() -> list[str]:
    """Addresses the URL guard must refuse (checked without any traffic); the ones it let through."""
    from dragoman.ingest.fetch import blocked_reason

    refused = ["192.0.0.192", "192.0.0.9", "192.0.0.1", "fec0::1", "3fff::1", "2001:db8::1", "::ffff:127.0.0.1",
               "::ffff:192.0.0.192", "64:ff9b::a00:1", "2002:a00:1::1", "2001:0:4136:e378:8000:63bf:3f57:fdf2",
               "100.64.0.1", "198.18.0.1", "240.0.0.1", "255.255.255.255", "::", "::1", "fd12::1", "fe80::1",
               "ff02::1", "169.254.169.254", "0.0.0.0", "5f00::1", "100::1", "::127.0.0.1"]
    return [a for a in refused if blocked_reason(a) is None]


def time_each(folder: Path, urls: list[str]) -> tuple[list[tuple[float, str]], list[str]]:
    """Each input read on its own through the readers (as ingest does: read, identify, language, signature):
    (seconds, label) per input, and the crashes."""
    from dragoman.ingest.dedup import DedupIndex
    from dragoman.ingest.sources import Reader, expand, finalise
    from dragoman.ingest.types import Failure

    reader = Reader(allow_private=True)
    index = DedupIndex()
    timings: list[tuple[float, str]] = []
    crashes: list[str] = []
    for item in expand([folder, *urls]):
        if isinstance(item, Failure):
            continue
        start = time.monotonic()
        try:
            for found in reader.read(item):
                if isinstance(found, Failure):
                    if found.reason.startswith("unexpected error"):
                        crashes.append(str(found))
                else:
                    index.signature(finalise(found).text)
        except BaseException as exc:  # noqa: BLE001 - a crash is what this looks for
            crashes.append(f"{item.label}: {type(exc).__name__}: {exc}"[:300])
        timings.append((time.monotonic() - start, item.label))
    return timings, crashes


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--count", type=int, default=3000, help="hostile inputs (crafted ones included)")
    ap.add_argument("--good", type=int, default=48, help="good articles mixed in")
    ap.add_argument("--seed", type=int, default=11)
    ap.add_argument("--code", action="store_true", help="run the coder too (default: --no-code)")
    ap.add_argument("--keep", type=Path, help="write the inputs and the store here and keep them")
    args = ap.parse_args()
    rng = random.Random(args.seed)
    work = args.keep or Path(tempfile.mkdtemp(prefix="dragoman-fuzz-"))
    folder = work / "inputs"
    if folder.exists():
        shutil.rmtree(folder)
    folder.mkdir(parents=True)
    db = work / "fuzz.duckdb"
    db.unlink(missing_ok=True)

    hostile = crafted()
    n_crafted = len(hostile)
    hostile += mutated(max(0, args.count - len(hostile)), rng)
    good = good_articles(args.good, rng)
    where = write_inputs(folder, hostile, good, rng)
    kinds = Counter(name.decode("utf-8", "replace").split(".", 1)[-1] for name, _ in hostile)
    server = HostileServer()
    urls = server.urls()
    try:
        cmd = [str(DRAGOMAN), "--db", str(db), "ingest", "--allow-private", "--code" if args.code else "--no-code",
               str(folder), *urls]
        started = time.monotonic()
        done = subprocess.run(cmd, capture_output=True, timeout=3600)
        cli_seconds = time.monotonic() - started
        peak_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
        stderr = done.stderr.decode("utf-8", "replace")
        exported = subprocess.run([str(DRAGOMAN), "--db", str(db), "export", "--table", "articles"],
                                  capture_output=True, timeout=600)
        texts = [json.loads(line)["text"] for line in exported.stdout.decode().splitlines() if line.strip()]
        timings, crashes = time_each(folder, urls)
    finally:
        server.close()

    error_lines = [line for line in stderr.splitlines() if line.startswith("error:")]
    if "Traceback (most recent call last)" in stderr or done.returncode not in (0, 1, 3):
        crashes.insert(0, f"dragoman ingest exited {done.returncode}:\n" + stderr[-3000:])
    crashes += [line for line in error_lines if "unexpected error" in line]
    raw_escapes = [line for line in error_lines if any(ord(c) < 32 and c != "\t" for c in line)]
    stored_blob = "\n".join(texts)
    missing = [f"{m} ({where[m]})" for m in where if m not in stored_blob]
    leaked = "root:x:0:0" in stored_blob
    deadline = settings.FETCH_TIMEOUT_S + 2
    slow = [(s, label) for s, label in timings if s > (deadline if "://" in label else SLOW_S)]
    over_10 = [(s, label) for s, label in timings if s > SLOW_S]

    print(f"command: {Path(sys.executable).name} bench/fuzz.py {' '.join(sys.argv[1:])}".rstrip())
    print(f"ingest:  {' '.join(Path(c).name if i == 0 else c for i, c in enumerate(cmd[:5]))} INPUTS/ "
          f"+ {len(urls)} URLs on 127.0.0.1")
    print(f"inputs: {len(hostile)} hostile files ({n_crafted} crafted, {len(hostile) - n_crafted} "
          f"mutated; {', '.join(f'{k} {n}' for k, n in kinds.most_common(12))}), {len(good)} good articles "
          f"in {len(where)} files, {len(urls)} hostile URLs")
    print(f"dragoman ingest: exit {done.returncode}, {cli_seconds:.1f} s, {len(texts)} articles stored")
    print(f"crashes: {len(crashes)}")
    for crash in crashes[:10]:
        print("  " + crash.replace("\n", "\n  "))
    print(f"inputs over {SLOW_S:g} s: {len(slow)} (a URL may take its fetch deadline, {settings.FETCH_TIMEOUT_S:g} s)"
          + "".join(f"\n  {s:.1f} s {label}" for s, label in over_10))
    slowest = sorted(timings, reverse=True)[:5]
    print("slowest inputs: " + ", ".join(f"{Path(label).name} {s:.2f} s" for s, label in slowest))
    per_input = Counter(line.split(": ", 2)[1].split("#entry")[0].rsplit(":", 1)[0] if ": " in line else line
                        for line in error_lines)
    print(f"error lines: {len(error_lines)} from {len(per_input)} inputs, at most {max(per_input.values(), default=0)}"
          f" from one (lines with a raw control character: {len(raw_escapes)}); one per crafted input:")
    shown: set[str] = set()
    for line in error_lines:
        key = line.split("#entry")[0].split(".", 1)[0]
        if "/c-" in line and key not in shown:
            shown.add(key)
            print(f"  {line[:160]}")
    print(f"peak RSS: {peak_mb:.0f} MB")
    print(f"URL guard: {len(guard_checks())} non-global addresses let through")
    print(f"external entity leaked into a stored article: {'yes' if leaked else 'no'}")
    print(f"good articles stored: {len(where) - len(missing)}/{len(where)}"
          + (f"; missing: {', '.join(missing)}" if missing else ""))
    ok = (not crashes and not slow and peak_mb <= MAX_RSS_MB and not missing and not raw_escapes
          and not guard_checks() and not leaked)
    print("acceptance: " + ("PASS" if ok else "FAIL"))
    if not args.keep:
        shutil.rmtree(work, ignore_errors=True)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
