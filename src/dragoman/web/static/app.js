/* Dragoman dashboard: plain JavaScript, no build step. Every string from the store is put into the page as
   text (textContent, DOM nodes, SVG attributes), never parsed as markup.

   The view lives in the address's query string, so a URL reopens it (history.pushState on each user action,
   popstate restores the earlier one; anything unknown or malformed is dropped, never fatal):
     since, until, actor, country, plover, quad_class, factuality   the filter bar
     mode=stories            count and list stories (default: mentions)
     all=1                   include forecasts, hypotheticals and negations (default: factual events only)
     raw=1                   the coding as the coder made it (default: analysts' corrections applied)
     src, tgt, sym=1         the dyad chart's source, target (code or PREFIX*) and "both directions"
     bycountry=1             the network groups actors by country (its clicks use PREFIX* codes)
     ev=KIND, e.NAME=VALUE   the evidence a chart element narrowed the table to (KIND: timeline, dyad, edge,
                             actor, place, country; NAME: the API filter it adds)
     offset=N                the table's page
     story, article, mention the story, article and mention open in the reader */
"use strict";

const SVGNS = "http://www.w3.org/2000/svg";
const QUAD = { 1: "verbal cooperation", 2: "material cooperation", 3: "verbal conflict", 4: "material conflict" };
const FILTER_KEYS = ["since", "until", "actor", "country", "plover", "quad_class", "factuality"];
const FACTUALITIES = ["asserted", "reported", "historical", "predicted", "hypothetical", "negated"];
const PAGE = 25;
const NETWORK_EDGES = 60;  // the heaviest actor pairs the network draws
const NETWORK_NODES = 40;
const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

// What a URL value must look like to be taken (the API's own limits); anything else is ignored.
const DATE_RE = /^\d{4}-\d{2}-\d{2}$/;
const isDate = (v) => DATE_RE.test(v) && !Number.isNaN(Date.parse(v + "T00:00:00Z"));
const isText = (max) => (v) => v.length > 0 && v.length <= max && !/[\u0000-\u001f]/.test(v);
const URL_FILTERS = {
  since: isDate, until: isDate, actor: isText(200),
  country: (v) => /^[A-Za-z]{3}$/.test(v), plover: (v) => /^[A-Za-z_]{1,40}$/.test(v),
  quad_class: (v) => /^[1-4]$/.test(v), factuality: (v) => FACTUALITIES.includes(v),
};
const EVIDENCE_KINDS = ["timeline", "dyad", "edge", "actor", "place", "country"];
const EVIDENCE_PARAMS = {
  source: isText(100), target: isText(100), actor_code: isText(100), country: URL_FILTERS.country, place: isText(200),
  place_country: (v) => /^[A-Za-z]{3}$/.test(v), since: isDate, until: isDate, quad_class: URL_FILTERS.quad_class,
  symmetric: (v) => v === "true", place_precision: (v) => v === "country",
};

const state = freshState();
let article = null;   // the article record open in the reader
let generation = 0;   // each full refresh's number: a slower, older answer never overwrites a newer view
const drawn = {};     // each chart's last data, to redraw it at a new width

function freshState() {
  return {
    filters: {},                 // the filter bar
    mode: "mentions",            // mentions | stories: what every chart and the table count
    allFactualities: false,      // false: only asserted, reported and historical events
    raw: false,                  // true: the coding as coded, analysts' corrections not applied
    dyad: { source: "", target: "", symmetric: false },
    dyadPicked: true,            // the dyad is the default pick (re-picked for each filter, not in the URL)
    networkByCountry: false,
    evidence: null,              // {kind, params}: what a clicked chart element narrowed the table to
    offset: 0,
    story: null, article: null, mention: null,
  };
}

// ------------------------------------------------------------------ helpers

function el(tag, attrs, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === null || v === undefined) continue;
    if (k === "class") node.className = v;
    else if (k === "text") node.textContent = v;
    else if (k.startsWith("on")) node.addEventListener(k.slice(2), v);
    else node.setAttribute(k, v);
  }
  for (const c of children) node.append(c instanceof Node ? c : document.createTextNode(String(c ?? "")));
  return node;
}

function svg(tag, attrs, ...children) {
  const node = document.createElementNS(SVGNS, tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === null || v === undefined) continue;
    if (k === "text") node.textContent = v;
    else if (k === "title") node.append(svg("title", { text: v }));
    else if (k.startsWith("on")) node.addEventListener(k.slice(2), v);
    else node.setAttribute(k, String(v));
  }
  for (const c of children) node.append(c);
  return node;
}

function query(params) {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== "" && v !== null && v !== undefined && v !== false) q.set(k, v);
  return q.toString();
}

async function api(path, params) {
  const url = params ? `${path}?${query(params)}` : path;
  const res = await fetch(url, { headers: { Accept: "application/json" } });
  const body = await res.json().catch(() => ({ reason: res.statusText }));
  if (!res.ok) throw new Error(body.reason || (typeof body.detail === "string" ? body.detail : `HTTP ${res.status}`));
  return body;
}

function $(id) { return document.getElementById(id); }

/** The filter bar's parameters with the factual switch, for every endpoint but /api/aggregate. */
function filterParams() { return { ...state.filters, factual: !state.allFactualities, raw: state.raw }; }

/** The same for /api/aggregate, which counts only factual events unless all_factualities. */
function aggregateParams(extra) {
  return { ...state.filters, ...extra, count: state.mode, all_factualities: state.allFactualities, raw: state.raw };
}

function unit(n) { const u = state.mode === "stories" ? "stories" : "mentions"; return n === 1 ? u.slice(0, -1).replace(/ie$/, "y") : u; }

function setCount(id, n, text) {
  const node = $(id);
  node.textContent = `${n.toLocaleString("en")} ${text}`;
  node.dataset.count = String(n);
}

function message(container, text) { container.replaceChildren(el("p", { class: "muted", text })); }

function actorLabel(a) { return a ? (a.code || "") + (a.name ? ` (${a.name})` : "") : "—"; }

function clip(s, n) { s = s || ""; return s.length > n ? s.slice(0, n - 1) + "…" : s; }

function chartWidth(container, fallback) { return Math.max(280, Math.round(container.clientWidth || fallback)); }

// ------------------------------------------------------------------ periods and time axes

const SPAN_LIMITS = [[62, "day"], [370, "week"], [6 * 366, "month"], [20 * 366, "quarter"]];

/** The interval for a span of days: about 30 to 80 periods whatever the span (years beyond 20 years). */
function intervalFor(days) {
  for (const [limit, interval] of SPAN_LIMITS) if (days <= limit) return interval;
  return "year";
}

function utc(iso) { return new Date(iso + "T00:00:00Z"); }
function iso(d) { return d.toISOString().slice(0, 10); }

function nextPeriod(d, interval) {
  const n = new Date(d);
  if (interval === "day") n.setUTCDate(n.getUTCDate() + 1);
  else if (interval === "week") n.setUTCDate(n.getUTCDate() + 7);
  else if (interval === "month") n.setUTCMonth(n.getUTCMonth() + 1);
  else if (interval === "quarter") n.setUTCMonth(n.getUTCMonth() + 3);
  else n.setUTCFullYear(n.getUTCFullYear() + 1);
  return n;
}

/** Every period start from the first to the last (both ISO dates of period starts). */
function periodSequence(first, last, interval) {
  const out = [];
  for (let d = utc(first); iso(d) <= last && out.length < 5000; d = nextPeriod(d, interval)) out.push(iso(d));
  return out;
}

/** The start of the period holding a day (weeks start on Monday, as the API's). */
function truncate(day, interval) {
  const d = utc(day);
  if (interval === "week") d.setUTCDate(d.getUTCDate() - ((d.getUTCDay() + 6) % 7));
  else if (interval === "month") d.setUTCDate(1);
  else if (interval === "quarter") { d.setUTCDate(1); d.setUTCMonth(d.getUTCMonth() - (d.getUTCMonth() % 3)); }
  else if (interval === "year") { d.setUTCDate(1); d.setUTCMonth(0); }
  return iso(d);
}

function periodEnd(start, interval) {
  const end = nextPeriod(utc(start), interval);
  end.setUTCDate(end.getUTCDate() - 1);
  return iso(end);
}

function periodName(start, interval) {
  const d = utc(start), y = d.getUTCFullYear(), m = MONTHS[d.getUTCMonth()], day = d.getUTCDate();
  if (interval === "year") return String(y);
  if (interval === "quarter") return `Q${Math.floor(d.getUTCMonth() / 3) + 1} ${y}`;
  if (interval === "month") return `${m} ${y}`;
  if (interval === "week") return `week of ${day} ${m} ${y}`;
  return `${day} ${m} ${y}`;
}

/** A tick's two lines: the period within its year, and the year where it changes (first tick included); ticks
 *  a year or more apart are just the year. */
function tickLines(start, interval, prevYear, yearly) {
  const d = utc(start), y = d.getUTCFullYear();
  const yearLine = y !== prevYear ? String(y) : "";
  if (interval === "year" || yearly) return [String(y), ""];
  if (interval === "quarter") return [`Q${Math.floor(d.getUTCMonth() / 3) + 1}`, yearLine];
  if (interval === "month") return [MONTHS[d.getUTCMonth()], yearLine];
  return [`${d.getUTCDate()} ${MONTHS[d.getUTCMonth()]}`, yearLine];
}

// Tick every k periods, k from calendar-friendly steps, so labels never crowd.
const TICK_STEPS = { day: [1, 2, 7, 14, 28], week: [1, 2, 4, 8, 13, 26], month: [1, 2, 3, 6, 12, 24, 60],
  quarter: [1, 2, 4, 8, 20], year: [1, 2, 5, 10, 20, 25, 50, 100] };
const TICK_PX = { day: 48, week: 48, month: 34, quarter: 34, year: 40 };  // room for one label

function isTick(start, index, step, interval) {
  const d = utc(start);
  if (interval === "year") return d.getUTCFullYear() % step === 0;
  if (interval === "month" && 12 % step === 0) return d.getUTCMonth() % step === 0;
  if (interval === "quarter" && 4 % step === 0) return (d.getUTCMonth() / 3) % step === 0;
  return index % step === 0;
}

function tickStep(periods, interval, plotWidth) {
  const fit = Math.max(1, Math.floor(plotWidth / TICK_PX[interval]));
  return TICK_STEPS[interval].find((s) => periods / s <= fit) || Math.ceil(periods / fit);
}

/** Round tick values from 0 to at least max: 1, 2 or 5 times a power of ten apart, whole numbers. */
function niceTicks(max, count = 4) {
  if (!(max > 0)) return [0, 1];
  const raw = max / count, mag = 10 ** Math.floor(Math.log10(raw));
  const step = Math.max(1, [1, 2, 5, 10].map((f) => f * mag).find((s) => s >= raw));
  const top = Math.ceil(max / step) * step;
  const ticks = [];
  for (let v = 0; v <= top + 1e-9; v += step) ticks.push(v);
  return ticks;
}

/**
 * One chart's series from /api/aggregate: the interval is chosen from the span of the data (or of the date
 * filter), every period from the first to the last is there (empty ones as zero), counted in the Show mode.
 * `extra` are the filter's additions (a dyad: source, target, symmetric).
 */
async function fetchSeries(extra) {
  const f = state.filters;
  // first the span, by month, to choose an interval that suits it
  const probe = await api("/api/aggregate", aggregateParams({ ...extra, by: "all", period: "month", fill: false }));
  const months = probe.rows.filter((r) => r.events > 0).map((r) => r.period).sort();
  const undated = probe.undated;
  if (!months.length && !(f.since && f.until)) return { interval: "month", periods: [], undated };
  const lo = f.since || months[0], hi = f.until || periodEnd(months[months.length - 1], "month");
  const interval = intervalFor((Date.parse(hi) - Date.parse(lo)) / 864e5);
  const answer = await api("/api/aggregate", aggregateParams({ ...extra, by: "all", period: interval, fill: true }));
  const byPeriod = new Map();
  for (const r of answer.rows) {
    const quads = { 1: 0, 2: 0, 3: 0, 4: 0 };
    for (const q of [1, 2, 3, 4]) quads[q] = Math.round(r.events * (r[`quad${q}_share`] || 0));
    byPeriod.set(r.period, { period: r.period, count: r.events, quads, goldsteinSum: r.goldstein_sum || 0 });
  }
  // the axis runs over the whole span the interval was chosen for (one busy day shows its month's days)
  const starts = [...byPeriod.keys()].sort();
  if (!starts.length) return { interval, periods: [], undated };
  const first = [starts[0], truncate(lo, interval)].sort()[0], last = [starts[starts.length - 1], truncate(hi, interval)].sort()[1];
  const periods = periodSequence(first, last, interval).map((s) => {
    const p = byPeriod.get(s) || { period: s, count: 0, quads: { 1: 0, 2: 0, 3: 0, 4: 0 }, goldsteinSum: 0 };
    p.goldsteinMean = p.count ? p.goldsteinSum / p.count : null;
    return p;
  });
  return { interval, periods, undated };
}

// ------------------------------------------------------------------ legends (HTML beside each chart)

function swatch(cls) { return svg("svg", { class: "swatch", width: 14, height: 14, "aria-hidden": "true" }, svg("rect", { class: cls, x: 1, y: 1, width: 12, height: 12 })); }

function legendItem(mark, text) { return el("span", { class: "legend-item" }, mark, text); }

function quadLegend(prefix) {
  return [el("span", { class: "legend-key", text: prefix }),
    ...[1, 2, 3, 4].map((q) => legendItem(swatch(`q${q}`), `${q} ${QUAD[q]}`))];
}

function setLegend(id, rows) {
  $(id).replaceChildren(...rows.map((items) => el("div", { class: "legend-row" }, ...items)));
}

// ------------------------------------------------------------------ stacked bars on a period axis (timeline, dyad)

/** Bars per period on a real time axis: each period a slot, empty periods empty; `share` draws each period's
 *  QuadClass shares (100% high) with the mean Goldstein line on a right-hand axis. */
function barChart(container, series, opts) {
  const { periods, interval } = series;
  if (!periods.length) { message(container, `No dated ${unit(2)} for this filter.`); return; }
  const W = chartWidth(container, 600), H = 250;
  const M = { left: 52, right: opts.share ? 46 : 12, top: 12, bottom: 40 };
  const plotW = W - M.left - M.right, plotH = H - M.top - M.bottom;
  const slot = plotW / periods.length;
  const gap = slot > 4 ? Math.min(2, slot * 0.15) : 0;
  const max = opts.share ? 1 : Math.max(1, ...periods.map((p) => p.count));
  const yTicks = opts.share ? [0, 0.25, 0.5, 0.75, 1] : niceTicks(max);
  const yTop = yTicks[yTicks.length - 1];
  const y = (v) => M.top + plotH - (v / yTop) * plotH;
  const root = svg("svg", { width: W, height: H, viewBox: `0 0 ${W} ${H}`, role: "img", "aria-label": opts.label });

  for (const t of yTicks) {  // left axis: counts or shares
    root.append(svg("line", { class: "grid", x1: M.left, x2: M.left + plotW, y1: y(t), y2: y(t) }));
    root.append(svg("text", { class: "tick", x: M.left - 5, y: y(t) + 3.5, "text-anchor": "end",
      text: opts.share ? `${Math.round(t * 100)}%` : t.toLocaleString("en") }));
  }
  const yTitle = opts.share ? `share of ${unit(2)}` : `${unit(2)} per ${interval}`;
  root.append(svg("text", { class: "axis-title", transform: `translate(12 ${M.top + plotH / 2}) rotate(-90)`, "text-anchor": "middle", text: yTitle }));

  periods.forEach((p, i) => {
    const x = M.left + i * slot;
    let base = 0;
    for (const q of [1, 2, 3, 4]) {
      const n = p.quads[q];
      if (!n) continue;
      const v = opts.share ? n / p.count : n;
      const y0 = y(base), y1 = y(base + v);
      root.append(svg("rect", {
        class: `bar q${q}`, x: x + gap / 2, y: y1, width: Math.max(slot - gap, 0.8), height: Math.max(y0 - y1, 0.5),
        "data-period": p.period, "data-quad": q, "data-count": n,
        title: `${periodName(p.period, interval)}: ${n} of ${p.count} ${unit(p.count)} ${QUAD[q]}` +
          (p.goldsteinMean === null ? "" : `; mean Goldstein ${p.goldsteinMean.toFixed(2)}`),
        onclick: () => showEvidence(opts.kind, { ...opts.extra, since: p.period, until: periodEnd(p.period, interval), quad_class: String(q) }),
      }));
      base += v;
    }
  });

  // bottom axis: period ticks, the year written where it changes
  root.append(svg("line", { class: "axis", x1: M.left, x2: M.left + plotW, y1: M.top + plotH, y2: M.top + plotH }));
  const step = tickStep(periods.length, interval, plotW);
  let prevYear = null;
  periods.forEach((p, i) => {
    if (!isTick(p.period, i, step, interval)) return;
    const x = M.left + i * slot + slot / 2;
    const yearly = (interval === "month" && step % 12 === 0) || (interval === "quarter" && step % 4 === 0);
    const [line1, line2] = tickLines(p.period, interval, prevYear, yearly);
    prevYear = utc(p.period).getUTCFullYear();
    root.append(svg("line", { class: "axis", x1: x, x2: x, y1: M.top + plotH, y2: M.top + plotH + 4 }));
    root.append(svg("text", { class: "tick", x, y: M.top + plotH + 15, "text-anchor": "middle", text: line1 }));
    if (line2) root.append(svg("text", { class: "tick year", x, y: M.top + plotH + 28, "text-anchor": "middle", text: line2 }));
  });

  if (opts.share) {  // mean Goldstein (-10..+10) on its own right-hand axis; gaps where a period is empty
    const gy = (g) => M.top + ((10 - g) / 20) * plotH;
    const right = M.left + plotW;
    root.append(svg("line", { class: "axis", x1: right, x2: right, y1: M.top, y2: M.top + plotH }));
    for (const g of [-10, -5, 0, 5, 10]) {
      root.append(svg("line", { class: "axis", x1: right, x2: right + 4, y1: gy(g), y2: gy(g) }));
      root.append(svg("text", { class: "tick", x: right + 6, y: gy(g) + 3.5, text: g > 0 ? `+${g}` : String(g) }));
    }
    root.append(svg("line", { class: "gzero", x1: M.left, x2: right, y1: gy(0), y2: gy(0) }));
    root.append(svg("text", { class: "axis-title", transform: `translate(${W - 6} ${M.top + plotH / 2}) rotate(90)`, "text-anchor": "middle", text: "mean Goldstein" }));
    let run = [];
    const flush = () => { if (run.length > 1) root.append(svg("polyline", { class: "gline", points: run.join(" ") })); run = []; };
    periods.forEach((p, i) => {
      if (p.goldsteinMean === null) { flush(); return; }
      const x = M.left + i * slot + slot / 2, yy = gy(p.goldsteinMean);
      run.push(`${x.toFixed(1)},${yy.toFixed(1)}`);
      root.append(svg("circle", { class: "gdot", cx: x, cy: yy, r: 2.2, title: `${periodName(p.period, interval)}: mean Goldstein ${p.goldsteinMean.toFixed(2)} over ${p.count} ${unit(p.count)}` }));
    });
    flush();
  }
  container.replaceChildren(root);
}

async function loadTimeline(gen) {
  const box = $("timeline");
  try {
    const series = await fetchSeries({});
    if (gen !== generation) return;
    const n = series.periods.reduce((a, p) => a + p.count, 0);
    setCount("count-timeline", n, `dated ${unit(n)}` + (series.undated ? ` (+${series.undated} undated)` : "") + `, per ${series.interval}`);
    drawn.timeline = () => barChart(box, series, { label: "Timeline", kind: "timeline", extra: {} });
    drawn.timeline();
    setLegend("timeline-legend", [quadLegend("QuadClass:"),
      [el("span", { class: "legend-key", text: "Bar height:" }), `${unit(2)} per ${series.interval} (event date), stacked by QuadClass; empty ${series.interval}s are gaps`]]);
  } catch (e) { message(box, e.message); setCount("count-timeline", 0, unit(2)); }
}

/** The dyad's filter additions (the API counts both directions of a symmetric dyad, each event once). */
function dyadFilter(d) {
  return { source: d.source, target: d.target, symmetric: Boolean(d.symmetric && d.source && d.target) };
}

async function loadDyad(gen = generation) {
  const box = $("dyad");
  const d = state.dyad;
  if (!d.source && !d.target) {
    message(box, "Pick a source and target (or click a network edge).");
    setCount("count-dyad", 0, unit(2)); $("dyad-legend").replaceChildren(); return;
  }
  try {
    const series = await fetchSeries(dyadFilter(d));
    if (gen !== generation) return;
    const n = series.periods.reduce((a, p) => a + p.count, 0);
    const arrow = d.symmetric ? "↔" : "→";
    setCount("count-dyad", n, `dated ${unit(n)} ${d.source || "any"} ${arrow} ${d.target || "any"}, per ${series.interval}`);
    const extra = { source: d.source, target: d.target, symmetric: d.symmetric ? "true" : null };
    drawn.dyad = () => barChart(box, series, { label: `Dyad ${d.source} ${arrow} ${d.target}`, kind: "dyad", share: true, extra });
    drawn.dyad();
    setLegend("dyad-legend", [quadLegend("QuadClass:"),
      [el("span", { class: "legend-key", text: "Bar height:" }), `share of the ${series.interval}'s ${unit(2)} by QuadClass (hover for counts)`],
      [legendItem(svg("svg", { class: "swatch", width: 22, height: 14, "aria-hidden": "true" }, svg("line", { class: "gline", x1: 1, x2: 21, y1: 7, y2: 7 }), svg("circle", { class: "gdot", cx: 11, cy: 7, r: 2.2 })),
        "mean Goldstein score, right axis: −10 most conflictual … +10 most cooperative")]]);
  } catch (e) { message(box, e.message); setCount("count-dyad", 0, unit(2)); }
}

// ------------------------------------------------------------------ network

/** The country part of an actor code, as a dyad prefix: its first three letters (USAGOV -> USA), but an
 *  international or non-governmental organisation (IGO..., NGO..., MNC...) stays itself. */
function countryOf(code) { return /^(IGO|NGO|MNC)/.test(code) ? code : code.slice(0, 3); }

function newEdge(source, target) { return { source, target, count: 0, quads: { 1: 0, 2: 0, 3: 0, 4: 0 }, goldsteinSum: 0 }; }

/** Edges from /api/network (mentions) or /api/aggregate by dyad (stories), the same shape either way. */
async function fetchEdges(byCountry) {
  if (state.mode === "stories") {
    const data = await api("/api/aggregate", aggregateParams({ by: "dyad", period: "year", fill: false, top: byCountry ? null : NETWORK_EDGES }));
    const edges = new Map();
    for (const r of data.rows) {
      const key = `${r.source}\u0000${r.target}`;
      const e = edges.get(key) || newEdge(r.source, r.target);
      e.count += r.events; e.goldsteinSum += r.goldstein_sum || 0;
      for (const q of [1, 2, 3, 4]) e.quads[q] += Math.round(r.events * (r[`quad${q}_share`] || 0));
      edges.set(key, e);
    }
    return [...edges.values()];
  }
  const data = await api("/api/network", { ...filterParams(), limit: byCountry ? 2000 : NETWORK_EDGES });
  return data.edges.map((e) => ({ source: e.source, target: e.target, count: e.count,
    quads: { 1: e.quad_class["1"], 2: e.quad_class["2"], 3: e.quad_class["3"], 4: e.quad_class["4"] },
    goldsteinSum: e.goldstein_mean * e.count }));
}

function mergeByCountry(edges) {
  const merged = new Map();
  for (const e of edges) {
    const s = countryOf(e.source), t = countryOf(e.target), key = `${s}\u0000${t}`;
    const m = merged.get(key) || newEdge(s, t);
    m.count += e.count; m.goldsteinSum += e.goldsteinSum;
    for (const q of [1, 2, 3, 4]) m.quads[q] += e.quads[q];
    merged.set(key, m);
  }
  return [...merged.values()];
}

async function loadNetwork(gen = generation) {
  const box = $("network");
  try {
    const byCountry = state.networkByCountry;
    let all = await fetchEdges(byCountry);
    if (gen !== generation) return null;
    if (byCountry) all = mergeByCountry(all);
    all.sort((a, b) => b.count - a.count || a.source.localeCompare(b.source) || a.target.localeCompare(b.target));
    const edges = all.slice(0, NETWORK_EDGES);
    const n = edges.reduce((a, e) => a + e.count, 0);
    const what = byCountry ? "country pairs" : "actor pairs";
    setCount("count-network", n, `${unit(n)} on the ${edges.length} heaviest ${what}` + (all.length > edges.length ? ` of ${all.length}` : ""));
    if (!edges.length) { message(box, `No ${unit(2)} with both a source and a target.`); $("network-legend").replaceChildren(); return edges; }
    drawn.network = () => drawNetwork(box, edges, byCountry);
    drawn.network();
    return edges;
  } catch (e) { message(box, e.message); setCount("count-network", 0, unit(2)); return null; }
}

function dominantQuad(e) { return [1, 2, 3, 4].reduce((best, q) => (e.quads[q] > e.quads[best] ? q : best), 1); }

/** A circular layout with labels pointing outwards along their radius: neighbours never overlap however many
 *  nodes there are, and actors of one country sit together (nodes sorted by country, then by weight). */
function drawNetwork(box, edges, byCountry) {
  const weight = new Map();
  for (const e of edges) for (const [id, role] of [[e.source, "out"], [e.target, "in"]]) {
    const w = weight.get(id) || { id, count: 0, out: 0, in: 0 };
    w.count += e.count; w[role] += e.count;
    weight.set(id, w);
  }
  const nodes = [...weight.values()].sort((a, b) => b.count - a.count).slice(0, NETWORK_NODES)
    .sort((a, b) => countryOf(a.id).localeCompare(countryOf(b.id)) || b.count - a.count);
  const W = chartWidth(box, 600), H = Math.min(520, Math.max(360, W * 0.75));
  const labelRoom = 78;
  const R = Math.max(60, Math.min(W, H) / 2 - labelRoom), cx = W / 2, cy = H / 2;
  const pos = new Map();
  nodes.forEach((node, i) => {
    const a = (2 * Math.PI * i) / nodes.length - Math.PI / 2;
    pos.set(node.id, { x: cx + R * Math.cos(a), y: cy + R * Math.sin(a), a });
  });
  const maxE = Math.max(...edges.map((e) => e.count)), maxN = Math.max(...nodes.map((x) => x.count));
  const nodeR = (c) => 3 + 9 * Math.sqrt(c / maxN);
  const edgeW = (c) => 1 + 5 * (c / maxE);
  const root = svg("svg", { width: W, height: H, viewBox: `0 0 ${W} ${H}`, role: "img", "aria-label": "Actor network" });
  // arrowheads of one size whatever the edge's width (a wide edge's own would hide the node)
  root.append(svg("defs", {}, ...[1, 2, 3, 4].map((q) => svg("marker", { id: `arrow-q${q}`, viewBox: "0 0 10 10", refX: 9, refY: 5,
    markerWidth: 8, markerHeight: 8, markerUnits: "userSpaceOnUse", orient: "auto-start-reverse" }, svg("path", { class: `q${q}`, d: "M 0 0 L 10 5 L 0 10 z" })))));
  for (const e of edges) {
    const s = pos.get(e.source), t = pos.get(e.target);
    if (!s || !t) continue;
    const q = dominantQuad(e);
    let d;
    if (s === t) {  // a pair within one actor or country: a small loop on the node's inner side (its label is outside)
      const ox = -Math.cos(s.a), oy = -Math.sin(s.a), r0 = nodeR(weight.get(e.source).count), L = r0 + 18;
      d = `M${s.x + ox * r0},${s.y + oy * r0} C${s.x + ox * L - oy * 12},${s.y + oy * L + ox * 12} ${s.x + ox * L + oy * 12},${s.y + oy * L - ox * 12} ${s.x + ox * r0 + oy * 2},${s.y + oy * r0 - ox * 2}`;
    } else {
      // bend the edge towards the centre, and stop it at the target's rim so the arrow shows
      const mx = (s.x + t.x) / 2 + (cx - (s.x + t.x) / 2) * 0.35, my = (s.y + t.y) / 2 + (cy - (s.y + t.y) / 2) * 0.35;
      const dx = t.x - mx, dy = t.y - my, len = Math.hypot(dx, dy) || 1, back = nodeR(weight.get(e.target).count) + 2;
      d = `M${s.x.toFixed(1)},${s.y.toFixed(1)} Q${mx.toFixed(1)},${my.toFixed(1)} ${(t.x - (dx / len) * back).toFixed(1)},${(t.y - (dy / len) * back).toFixed(1)}`;
    }
    const gmean = e.count ? e.goldsteinSum / e.count : 0;
    root.append(svg("path", {
      class: `edge q${q}`, d, "stroke-width": edgeW(e.count).toFixed(2), "marker-end": `url(#arrow-q${q})`,
      "data-source": e.source, "data-target": e.target, "data-count": e.count,
      title: `${e.source} → ${e.target}: ${e.count} ${unit(e.count)} (cooperation ${e.quads[1]}+${e.quads[2]}, conflict ${e.quads[3]}+${e.quads[4]}); mean Goldstein ${gmean.toFixed(2)}`,
      onclick: () => {
        const source = byCountry ? `${e.source}*` : e.source, target = byCountry ? `${e.target}*` : e.target;
        state.dyad = { source, target, symmetric: false };
        state.dyadPicked = false;
        syncDyadForm(); loadDyad();
        showEvidence("edge", { source, target });
      },
    }));
  }
  for (const node of nodes) {
    const { x, y, a } = pos.get(node.id);
    const g = svg("g", {
      class: "node", "data-id": node.id, title: `${node.id}: ${node.count} ${unit(node.count)} (as source ${node.out}, as target ${node.in})`,
      // a country node: its actors' events as source or target (the API's country filter); an organisation: its code
      onclick: () => showEvidence("actor", { actor_code: byCountry && /^[A-Z]{3}$/.test(node.id) ? `${node.id}*` : node.id }),
    });
    g.append(svg("circle", { cx: x, cy: y, r: nodeR(node.count).toFixed(1) }));
    const deg = (a * 180) / Math.PI, left = Math.cos(a) < 0;
    const off = nodeR(node.count) + 4;
    g.append(svg("text", {
      x: x + Math.cos(a) * off, y: y + Math.sin(a) * off, dy: "0.35em", "text-anchor": left ? "end" : "start",
      transform: `rotate(${left ? deg + 180 : deg} ${x + Math.cos(a) * off} ${y + Math.sin(a) * off})`,
      text: node.id === "---" ? "no country" : clip(node.id, 12),
    }));
    root.append(g);
  }
  box.replaceChildren(root);
  const mid = Math.max(1, Math.round(maxN / 4)), midE = Math.max(1, Math.round(maxE / 4));
  setLegend("network-legend", [
    [el("span", { class: "legend-key", text: "Edge colour:" }), "the pair's most frequent QuadClass",
      ...[1, 2, 3, 4].map((q) => legendItem(swatch(`q${q}`), QUAD[q]))],
    [el("span", { class: "legend-key", text: "Edge width:" }),
      ...[...new Set([midE, maxE])].map((c) => legendItem(svg("svg", { class: "swatch", width: 26, height: 14, "aria-hidden": "true" }, svg("line", { class: "legend-edge", x1: 1, x2: 25, y1: 7, y2: 7, "stroke-width": edgeW(c) })), `${c} ${unit(c)}`)),
      el("span", { class: "legend-key", text: " Node size:" }),
      ...[...new Set([mid, maxN])].map((c) => legendItem(svg("svg", { class: "swatch", width: 26, height: 26, "aria-hidden": "true" }, svg("circle", { class: "legend-node", cx: 13, cy: 13, r: nodeR(c) })), `${c} ${unit(c)} as source or target`))],
    [el("span", { class: "legend-key", text: "Arrows:" }), `source → target; ${byCountry ? "actors grouped by country (clicks use PREFIX*)" : "actor codes (long ones shortened, full code on hover)"}`],
  ]);
}

// ------------------------------------------------------------------ map

let WORLD = null;

async function world() {
  if (WORLD) return WORLD;
  const [topo, codes] = await Promise.all([api("/static/vendor/countries-110m.json"), api("/static/vendor/iso3166-numeric.json")]);
  const features = window.topojson.feature(topo, topo.objects.countries).features;
  for (const f of features) f.alpha3 = codes.by_id[f.id] || codes.by_name[(f.properties || {}).name] || null;
  WORLD = features;
  return WORLD;
}

/** Places of the matching events with coordinates and precision; in stories mode counted as stories (the
 *  places' coordinates come from /api/places, the counts from /api/aggregate by place). */
async function fetchPlaces() {
  const places = (await api("/api/places", { ...filterParams(), limit: 5000 })).items;
  if (state.mode !== "stories") return places;
  const data = await api("/api/aggregate", aggregateParams({ by: "place", period: "year", fill: false }));
  const key = (name, country) => `${name}\u0000${country || ""}`;
  const sums = new Map();
  for (const r of data.rows) {
    const s = sums.get(key(r.place, r.place_country)) || { count: 0, conflict: 0, gsum: 0 };
    s.count += r.events; s.gsum += r.goldstein_sum || 0;
    s.conflict += Math.round(r.events * ((r.quad3_share || 0) + (r.quad4_share || 0)));
    sums.set(key(r.place, r.place_country), s);
  }
  return places.filter((p) => sums.has(key(p.name, p.country))).map((p) => {
    const s = sums.get(key(p.name, p.country));
    return { ...p, count: s.count, conflict: s.conflict, goldstein_mean: s.count ? s.gsum / s.count : 0 };
  });
}

// ColorBrewer Purples (the five darker of its seven classes, so the lightest still differs from unshaded land),
// for country shading: single hue, safe for every colour vision.
const SHADES = 5;

/** Class breaks for the shading: 1 and up, log-spaced, each a whole number above the last. */
function shadeBreaks(max) {
  const breaks = [1];
  for (let i = 1; i < SHADES; i++) {
    const b = Math.max(breaks[breaks.length - 1] + 1, Math.round(max ** (i / SHADES)));
    if (b > max) break;
    breaks.push(b);
  }
  return breaks;
}

async function loadMap(gen = generation) {
  const box = $("map");
  try {
    const [features, places] = await Promise.all([world(), fetchPlaces()]);
    if (gen !== generation) return;
    const byAlpha3 = new Map(features.filter((f) => f.alpha3).map((f) => [f.alpha3, f]));
    const countries = new Map();  // alpha-3 -> country-level places shaded on its polygon
    const points = [], regions = [];
    for (const p of places) {
      if (p.precision === "region") { regions.push(p); continue; }
      if (p.precision === "country" && p.country && byAlpha3.has(p.country)) {
        const c = countries.get(p.country) || { code: p.country, count: 0, conflict: 0, names: [], gsum: 0 };
        c.count += p.count; c.conflict += p.conflict; c.gsum += p.goldstein_mean * p.count; c.names.push(p.name);
        countries.set(p.country, c);
      } else if (p.lat !== null && p.lon !== null) points.push(p);
    }
    const onPoints = points.reduce((a, p) => a + p.count, 0), onCountries = [...countries.values()].reduce((a, c) => a + c.count, 0);
    const inRegions = regions.reduce((a, p) => a + p.count, 0);
    setCount("count-map", onPoints + onCountries, `located ${unit(2)}: ${onPoints} at ${points.length} places, ${onCountries} country-level in ${countries.size} ${countries.size === 1 ? "country" : "countries"}` +
      (inRegions ? ` (${inRegions} in regions not drawn)` : ""));
    drawn.map = () => drawMap(box, features, points, countries);
    drawn.map();
  } catch (e) { message(box, e.message); setCount("count-map", 0, unit(2)); }
}

function drawMap(box, features, points, countries) {
  const W = chartWidth(box, 620);
  // the view: the data's extent (points and shaded countries' centres), padded, at least 70° wide; else the world
  const lons = [], lats = [];
  for (const p of points) { lons.push(p.lon); lats.push(p.lat); }
  for (const f of features) if (countries.has(f.alpha3)) { const [lon, lat] = centre(f); lons.push(lon); lats.push(lat); }
  let [x0, x1, y0, y1] = lons.length ? [Math.min(...lons) - 8, Math.max(...lons) + 8, Math.min(...lats) - 6, Math.max(...lats) + 6] : [-180, 180, -58, 84];
  if (x1 - x0 < 70) { const c = (x0 + x1) / 2; x0 = c - 35; x1 = c + 35; }
  const H = Math.round(Math.min(W * 0.62, 440));
  const aspect = W / H;  // widen lon or lat so a degree is as long both ways (equirectangular)
  if ((x1 - x0) / (y1 - y0) < aspect) { const c = (x0 + x1) / 2, half = ((y1 - y0) * aspect) / 2; x0 = c - half; x1 = c + half; }
  else { const c = (y0 + y1) / 2, half = (x1 - x0) / aspect / 2; y0 = c - half; y1 = c + half; }
  const project = (lon, lat) => [((lon - x0) / (x1 - x0)) * W, ((y1 - lat) / (y1 - y0)) * H];
  const root = svg("svg", { width: W, height: H, viewBox: `0 0 ${W} ${H}`, role: "img", "aria-label": "Map of event locations" });
  const maxC = Math.max(1, ...[...countries.values()].map((c) => c.count));
  const breaks = shadeBreaks(maxC);
  const shade = (n) => breaks.filter((b) => n >= b).length;  // 1..SHADES
  const land = svg("g", {});
  for (const f of features) {
    const g = f.geometry;
    if (!g) continue;
    const polys = g.type === "Polygon" ? [g.coordinates] : g.coordinates;
    const d = polys.map((poly) => ringPath(poly, project)).join("");
    const c = countries.get(f.alpha3);
    if (!c) { land.append(svg("path", { class: "land", d })); continue; }
    const names = [...new Set(c.names)];
    land.append(svg("path", {
      class: `land country shade${shade(c.count)}`, d, "data-country": c.code, "data-count": c.count,
      title: `${names.join(", ")} (${c.code}), the country as a whole: ${c.count} ${unit(c.count)}, ${c.conflict} conflict; mean Goldstein ${(c.gsum / c.count).toFixed(2)}`,
      onclick: () => showEvidence("country", { place_country: c.code, place_precision: "country" }),
    }));
  }
  root.append(land);
  const maxP = Math.max(1, ...points.map((p) => p.count));
  const radius = (n) => 2.5 + 7 * Math.sqrt(n / maxP);  // area grows with the count
  for (const p of [...points].sort((a, b) => b.count - a.count)) {  // small dots drawn last, on top
    const [x, y] = project(p.lon, p.lat);
    const area = p.precision === "admin1" || p.precision === "admin2" || p.precision === "country";
    root.append(svg("circle", {
      class: `place ${p.goldstein_mean > 0 ? "coop" : "conflict"}${area ? " area" : ""}`, cx: x.toFixed(1), cy: y.toFixed(1), r: radius(p.count).toFixed(1),
      "data-place": p.name, "data-count": p.count,
      title: `${p.name}, ${p.country || "?"} (${p.precision || "place"}${area ? ", its centre" : ""}): ${p.count} ${unit(p.count)}, ${p.conflict} conflict; mean Goldstein ${Number(p.goldstein_mean).toFixed(2)}`,
      onclick: () => showEvidence("place", { place: p.name, place_country: p.country || null }),
    }));
  }
  box.replaceChildren(root);
  const shadeItems = breaks.map((b, i) => {
    const hi = i + 1 < breaks.length ? breaks[i + 1] - 1 : maxC;
    return legendItem(swatch(`land shade${i + 1}`), hi > b ? `${b}–${hi}` : String(b));
  });
  const midP = Math.max(1, Math.round(maxP / 4));
  setLegend("map-legend", [
    [el("span", { class: "legend-key", text: "Country shading:" }), `${unit(2)} placed in the country as a whole`, ...(countries.size ? shadeItems : [" (none)"])],
    [el("span", { class: "legend-key", text: "Dots:" }), "cities and finer;",
      ...[...new Set([midP, maxP])].map((c) => legendItem(svg("svg", { class: "swatch", width: 26, height: 26, "aria-hidden": "true" }, svg("circle", { class: "place conflict", cx: 13, cy: 13, r: radius(c) })), `${c} ${unit(c)}`)),
      legendItem(svg("svg", { class: "swatch", width: 16, height: 16, "aria-hidden": "true" }, svg("circle", { class: "place conflict", cx: 8, cy: 8, r: 6 })), "mean Goldstein ≤ 0 (conflict)"),
      legendItem(svg("svg", { class: "swatch", width: 16, height: 16, "aria-hidden": "true" }, svg("circle", { class: "place coop", cx: 8, cy: 8, r: 6 })), "> 0 (cooperation)"),
      legendItem(svg("svg", { class: "swatch", width: 16, height: 16, "aria-hidden": "true" }, svg("circle", { class: "place conflict area", cx: 8, cy: 8, r: 6 })), "ring: a province or small country, at its centre")],
  ]);
}

function centre(feature) {
  // the centre of the feature's largest ring's bounding box: good enough to frame the view
  const g = feature.geometry, polys = g.type === "Polygon" ? [g.coordinates] : g.coordinates;
  const ring = polys.map((p) => p[0]).sort((a, b) => b.length - a.length)[0];
  const xs = ring.map((c) => c[0]), ys = ring.map((c) => c[1]);
  return [(Math.min(...xs) + Math.max(...xs)) / 2, (Math.min(...ys) + Math.max(...ys)) / 2];
}

function ringPath(rings, project) {
  let d = "";
  for (const ring of rings) {
    let prev = null;
    ring.forEach(([lon, lat], i) => {
      const [x, y] = project(lon, lat);
      const jump = prev !== null && Math.abs(lon - prev) > 180;  // do not draw across the antimeridian
      d += (i === 0 || jump ? "M" : "L") + x.toFixed(1) + "," + y.toFixed(1);
      prev = lon;
    });
    d += "Z";
  }
  return d;
}

// ------------------------------------------------------------------ evidence: what a chart element narrows the table to

function evidenceLabel(kind, p) {
  const span = p.since ? (p.since === p.until ? p.since : `${p.since} to ${p.until}`) : "";
  const quad = p.quad_class ? QUAD[p.quad_class] : "";
  switch (kind) {
    case "timeline": return `Timeline: ${[quad, span].filter(Boolean).join(", ")}`;
    case "dyad": return `Dyad ${p.source || "any"} ${p.symmetric ? "↔" : "→"} ${p.target || "any"}: ${[quad, span].filter(Boolean).join(", ")}`;
    case "edge": return `Network edge ${p.source} → ${p.target}`;
    case "actor": return p.actor_code.endsWith("*") ? `Actors of ${p.actor_code.slice(0, -1)}` : `Actor ${p.actor_code}`;
    case "place": return `Place ${p.place}${p.place_country ? ", " + p.place_country : ""}`;
    case "country": return `${p.place_country} as a whole (events placed in the country, no finer)`;
    default: return kind;
  }
}

function showEvidence(kind, params) {
  const clean = {};
  for (const [k, v] of Object.entries(params)) if (v !== null && v !== undefined && v !== "" && EVIDENCE_PARAMS[k]) clean[k] = v;
  state.evidence = { kind, params: clean };
  state.offset = 0;
  pushState();
  loadTable().then(() => $("table-view").scrollIntoView({ block: "start" }));
}

// ------------------------------------------------------------------ the table

function tableParams() {
  const p = { ...filterParams(), ...(state.evidence ? state.evidence.params : {}) };
  // a chart element's period is kept within the filter's date range
  if (state.evidence && state.filters.since && p.since < state.filters.since) p.since = state.filters.since;
  if (state.evidence && state.filters.until && p.until > state.filters.until) p.until = state.filters.until;
  return p;
}

async function loadTable(gen = generation) {
  const head = $("events").tHead, body = $("events").tBodies[0];
  const msg = $("table-msg");
  const stories = state.mode === "stories";
  $("evidence-bar").hidden = !state.evidence;
  $("evidence-label").textContent = state.evidence ? "Evidence for: " + evidenceLabel(state.evidence.kind, state.evidence.params) : "";
  const params = { ...tableParams(), limit: PAGE, offset: state.offset };
  const endpoint = stories ? "/api/stories" : "/api/mentions";  // downloads are of what the table lists
  $("dl-csv").href = `${endpoint}?` + query({ ...tableParams(), format: "csv" });
  $("dl-parquet").href = `${endpoint}?` + query({ ...tableParams(), format: "parquet" });
  $("dl-csv").textContent = `CSV of these ${stories ? "stories" : "mentions"}`;
  $("dl-parquet").textContent = "Parquet";
  try {
    const data = await api(endpoint, params);
    if (gen !== generation) return;
    msg.textContent = "";
    $("table-title").textContent = stories ? "Stories" : "Events";
    setCount("count-table", data.total, stories ? "stories" : "mentions");
    const columns = stories ? ["story", "date", "source", "event", "target", "place", "mentions"]
      : ["date", "source", "event", "target", "place", "factuality", "sentence"];
    head.replaceChildren(el("tr", {}, ...columns.map((h) => el("th", { text: h }))));
    body.replaceChildren(...data.items.map(stories ? storyRow : mentionRow));
    markSelectedRow();
    pager(data.total);
  } catch (e) {
    if (gen !== generation) return;
    setCount("count-table", 0, stories ? "stories" : "mentions");
    body.replaceChildren();
    msg.textContent = e.message;
    pager(0);
  }
}

function dateText(d) {
  if (!d || !d.start) return "—";
  return d.end && d.end !== d.start ? `${d.start}…${d.end}` : d.start;
}

function mentionRow(m) {
  return el("tr", { "data-id": m.id, onclick: () => selectRow({ story: null, article: m.article_id, mention: m.id }) },
    el("td", { text: dateText(m.date) }),
    el("td", { text: actorLabel(m.source) }),
    el("td", { text: `${m.cameo} ${m.plover}`, title: `QuadClass ${m.quad_class} (${QUAD[m.quad_class]}), Goldstein ${m.goldstein}` }),
    el("td", { text: actorLabel(m.target) }),
    el("td", { text: m.location ? m.location.name : "—" }),
    el("td", { text: m.factuality }),
    el("td", { text: clip((m.evidence || {}).sentence, 140) }));
}

function storyRow(s) {
  const r = s.record || s;
  const pick = (...ks) => { for (const k of ks) if (r[k] !== undefined && r[k] !== null) return r[k]; return ""; };
  const first = (r.mentions && r.mentions[0]) || null;
  const id = String(pick("story_id", "id"));
  const articleId = (first && first.article_id) || pick("article_id") || null;
  const open = () => selectRow({ story: id, article: articleId, mention: (first && first.id) || null });
  const asText = (v) => (v && typeof v === "object" ? actorLabel(v) : String(v ?? ""));
  return el("tr", { "data-id": id, onclick: open },
    el("td", { text: id }),
    // the event's date (the members' vote), never the day it was first reported
    el("td", { text: r.date && r.date.start ? dateText(r.date) : (asText(pick("date_start")) || "—") }),
    el("td", { text: asText(pick("source", "source_country")) }),
    el("td", { text: `${pick("cameo")} ${pick("plover")}` }),
    el("td", { text: asText(pick("target", "target_country")) }),
    el("td", { text: r.location ? r.location.name || "" : asText(pick("loc_name")) }),
    el("td", { text: String(pick("num_mentions")) }));
}

function markSelectedRow() {
  const want = state.mode === "stories" ? state.story : state.mention;
  for (const tr of $("events").tBodies[0].rows) tr.classList.toggle("selected", !!want && tr.dataset.id === want);
}

function pager(total) {
  $("page-info").textContent = total ? `${state.offset + 1}–${Math.min(state.offset + PAGE, total)} of ${total}` : "none";
  $("prev").disabled = state.offset === 0;
  $("next").disabled = state.offset + PAGE >= total;
}

// ------------------------------------------------------------------ article reader

function selectRow(pick) {
  Object.assign(state, pick);
  pushState();
  markSelectedRow();
  if (state.article) openArticle(state.article, state.mention, { scroll: true });
}

function clearReader() {
  article = null;
  $("reader-meta").replaceChildren();
  $("reader-mentions").replaceChildren();
  $("mention-detail").replaceChildren();
  $("reader-text").classList.add("muted");
  $("reader-text").textContent = "Click an event, a chart element or a map point to read its evidence.";
}

async function openArticle(articleId, mentionId, { scroll = false } = {}) {
  const box = $("reader-text");
  try {
    const art = await api("/api/articles/" + encodeURIComponent(articleId), { raw: state.raw });
    if (state.article !== articleId) return;  // another article was picked meanwhile
    article = art;
    const meta = [art.title, art.source, art.published].filter(Boolean).join(" · ");
    $("reader-meta").replaceChildren(document.createTextNode(meta + " "));
    if (art.url && /^https?:\/\//i.test(art.url)) {
      $("reader-meta").append(el("a", { href: art.url, rel: "noopener noreferrer nofollow", target: "_blank", text: "source" }));
    }
    $("reader-mentions").replaceChildren(...art.mentions.map((m) => el("li", {
      "data-id": m.id, class: m.correction ? "corrected" : null,
      title: m.correction ? "corrected by an analyst" : null,
      onclick: () => { state.mention = m.id; pushState(); selectMention(m.id); markSelectedRow(); },
      text: `${actorLabel(m.source)} —${m.cameo} ${m.plover}→ ${actorLabel(m.target)} [${m.factuality}]`,
    })));
    const known = art.mentions.some((m) => m.id === mentionId);
    selectMention(known ? mentionId : (art.mentions[0] && art.mentions[0].id) || null);
    if (scroll) $("reader-view").scrollIntoView({ block: "start" });
  } catch (e) {
    article = null;
    $("reader-mentions").replaceChildren(); $("mention-detail").replaceChildren(); $("reader-meta").replaceChildren();
    message(box, `Article ${articleId}: ${e.message}`);
  }
}

function selectMention(mentionId) {
  const art = article;
  if (!art) return;
  const m = art.mentions.find((x) => x.id === mentionId) || null;
  for (const li of $("reader-mentions").children) li.classList.toggle("selected", li.dataset.id === mentionId);
  renderText(art.text, m, art.mentions);
  renderDetail(m);
  const selected = $("reader-mentions").querySelector("li.selected");
  if (selected) selected.scrollIntoView({ block: "nearest" });
  // extensions of the reader (e.g. a corrections form in #mention-tools) follow the selection from here
  $("mention-tools").dataset.mentionId = m ? m.id : "";
  document.dispatchEvent(new CustomEvent("dragoman:mention-selected", { detail: { mention: m, article: art } }));
}

function renderText(text, mention, all) {
  // Segment the text at every span boundary; a segment carries the roles that cover it.
  const spans = mention ? mention.spans : [];
  const others = all.filter((x) => x !== mention).flatMap((x) => x.spans.filter((s) => s.role === "trigger").map((s) => ({ ...s, role: "other", mid: x.id })));
  const cuts = new Set([0, text.length]);
  for (const s of [...spans, ...others]) { cuts.add(s.start); cuts.add(s.end); }
  const points = [...cuts].filter((c) => c >= 0 && c <= text.length).sort((a, b) => a - b);
  const frag = document.createDocumentFragment();
  for (let i = 0; i < points.length - 1; i++) {
    const a = points[i], b = points[i + 1];
    const piece = text.slice(a, b);
    const cover = spans.filter((s) => s.start <= a && s.end >= b);
    const other = others.find((s) => s.start <= a && s.end >= b);
    if (!cover.length && !other) { frag.append(document.createTextNode(piece)); continue; }
    const mark = el("mark", {}, piece);
    if (cover.length) {
      cover.sort((x, y) => (x.end - x.start) - (y.end - y.start));  // the innermost span gives the colour
      mark.className = "span-" + cover[0].role;
      mark.dataset.roles = cover.map((s) => s.role).join(" ");
      mark.title = cover.map((s) => `${s.role}: ${s.label || ""}`).join("\n");
    } else {
      mark.className = "trigger-other";
      mark.title = "another event: click to select it";
      mark.addEventListener("click", () => { state.mention = other.mid; pushState(); selectMention(other.mid); });
    }
    frag.append(mark);
  }
  $("reader-text").classList.remove("muted");
  $("reader-text").replaceChildren(frag);
  const first = $("reader-text").querySelector(".span-trigger, .span-source");
  if (first) first.scrollIntoView({ block: "nearest" });
}

function renderDetail(m) {
  const dl = $("mention-detail");
  if (!m) { dl.replaceChildren(); return; }
  const d = m.date || {}, loc = m.location || {};
  const rows = [
    ["mention", m.id], ["source", actorLabel(m.source)], ["target", actorLabel(m.target)],
    ["CAMEO", `${m.cameo} (root ${m.cameo_root})`], ["PLOVER", `${m.plover}${m.plover_mode ? " / " + m.plover_mode : ""}`],
    ["QuadClass", `${m.quad_class} ${QUAD[m.quad_class]}`], ["Goldstein", m.goldstein],
    ["date", d.start ? `${d.start}${d.end && d.end !== d.start ? " … " + d.end : ""} (${d.precision})` : "unknown"],
    ["place", loc.name ? `${loc.name}, ${loc.country || "?"}${loc.precision ? ` (${loc.precision})` : ""}` : "—"], ["factuality", m.factuality],
    ["confidence", m.confidence], ["attribution", m.attribution ? m.attribution.text : "—"],
  ];
  dl.replaceChildren(...rows.flatMap(([k, v]) => [el("dt", { text: k }), el("dd", { text: String(v ?? "") })]));
}

// ------------------------------------------------------------------ the view in the URL

function stateToQuery() {
  const q = new URLSearchParams();
  for (const k of FILTER_KEYS) if (state.filters[k]) q.set(k, state.filters[k]);
  if (state.mode === "stories") q.set("mode", "stories");
  if (state.allFactualities) q.set("all", "1");
  if (state.raw) q.set("raw", "1");
  if (!state.dyadPicked) {
    if (state.dyad.source) q.set("src", state.dyad.source);
    if (state.dyad.target) q.set("tgt", state.dyad.target);
    if (state.dyad.symmetric) q.set("sym", "1");
  }
  if (state.networkByCountry) q.set("bycountry", "1");
  if (state.evidence) {
    q.set("ev", state.evidence.kind);
    for (const [k, v] of Object.entries(state.evidence.params)) q.set(`e.${k}`, v);
  }
  if (state.offset) q.set("offset", String(state.offset));
  for (const k of ["story", "article", "mention"]) if (state[k]) q.set(k, state[k]);
  return q.toString();
}

/** The state a query string says, every value checked: one that is unknown or malformed is left out. */
function stateFromQuery(search) {
  const q = new URLSearchParams(search);
  const s = freshState();
  const form = $("filters");
  for (const k of FILTER_KEYS) {
    const v = (q.get(k) || "").trim();
    if (!v || !URL_FILTERS[k](v)) continue;
    const field = form.elements[k];
    if (field.tagName === "SELECT" && ![...field.options].some((o) => o.value === v)) continue;  // not in this store
    s.filters[k] = v;
  }
  if (q.get("mode") === "stories") s.mode = "stories";
  s.allFactualities = q.get("all") === "1";
  s.raw = q.get("raw") === "1";
  s.networkByCountry = q.get("bycountry") === "1";
  const dyadSide = (v) => (v && isText(100)(v.trim()) ? v.trim() : "");
  s.dyad = { source: dyadSide(q.get("src")), target: dyadSide(q.get("tgt")), symmetric: q.get("sym") === "1" };
  s.dyadPicked = !s.dyad.source && !s.dyad.target;
  const kind = q.get("ev");
  if (EVIDENCE_KINDS.includes(kind)) {
    const params = {};
    for (const [k, ok] of Object.entries(EVIDENCE_PARAMS)) { const v = q.get(`e.${k}`); if (v && ok(v)) params[k] = v; }
    if (Object.keys(params).length) s.evidence = { kind, params };
  }
  const offset = q.get("offset");
  if (offset && /^\d{1,9}$/.test(offset)) s.offset = Math.floor(Number(offset) / PAGE) * PAGE;
  for (const k of ["story", "article", "mention"]) { const v = q.get(k); if (v && isText(200)(v)) s[k] = v; }
  if (!s.article) { s.mention = null; s.story = null; }
  return s;
}

function pushState() {
  const qs = stateToQuery();
  if ("?" + qs === location.search || (!qs && !location.search)) return;
  history.pushState(null, "", qs ? `?${qs}` : location.pathname);
}

function syncForms() {
  const f = $("filters");
  for (const k of FILTER_KEYS) f.elements[k].value = state.filters[k] || "";
  f.elements.mode.value = state.mode;
  f.elements.all_factualities.checked = state.allFactualities;
  f.elements.raw.checked = state.raw;
  $("network-by-country").checked = state.networkByCountry;
  syncDyadForm();
}

function syncDyadForm() {
  const f = $("dyad-form");
  f.source.value = state.dyad.source; f.target.value = state.dyad.target; f.symmetric.checked = state.dyad.symmetric;
}

function readFilters() {
  const f = $("filters");
  state.filters = {};
  for (const k of FILTER_KEYS) if (f.elements[k].value.trim()) state.filters[k] = f.elements[k].value.trim();
  state.mode = f.elements.mode.value === "stories" ? "stories" : "mentions";
  state.allFactualities = f.elements.all_factualities.checked;
  state.raw = f.elements.raw.checked;
}

// ------------------------------------------------------------------ refresh

/** Redraw every view for the state; body[data-ready] counts the refreshes that finished. */
async function refresh() {
  const gen = ++generation;
  document.body.classList.toggle("stories-mode", state.mode === "stories");
  $("factual-note").textContent = (state.allFactualities ? "counting every factuality"
    : "counting asserted, reported and historical events only") + (state.raw ? "; raw coding, corrections not applied" : "");
  const networkThenDyad = loadNetwork(gen).then((edges) => {
    if (gen !== generation) return;
    if (state.dyadPicked && edges && edges.length) {
      // by default the heaviest pair, as countries (sectors aggregated): USAGOV -> SYRREB becomes USA* -> SYR*
      // (a pair of two countries first: a country's dealings with itself are rarely the question)
      const pairs = (state.networkByCountry ? edges : mergeByCountry(edges)).sort((a, b) => (a.source === a.target) - (b.source === b.target) || b.count - a.count);
      const top = pairs[0];
      state.dyad = { source: `${top.source}*`, target: `${top.target}*`, symmetric: false };
      syncDyadForm();
    }
    return loadDyad(gen);
  });
  const reader = state.article ? openArticle(state.article, state.mention) : Promise.resolve(clearReader());
  await Promise.all([loadTimeline(gen), loadMap(gen), loadTable(gen), networkThenDyad, reader]);
  if (gen !== generation) return;
  document.body.dataset.ready = String(Number(document.body.dataset.ready || 0) + 1);
}

// ------------------------------------------------------------------ watching: feeds and alerts

async function loadWatch() {
  const body = $("feeds").tBodies[0];
  const list = $("alerts");
  try {
    const [feeds, alerts] = await Promise.all([api("/api/feeds"), api("/api/alerts", { latest: 3 })]);
    body.replaceChildren();
    for (const f of feeds.items) {
      const last = f.last_poll || {};
      const stateText = f.paused ? `paused: ${f.paused_reason}` : (f.next_due ? `next ${f.next_due}` : "due");
      body.append(el("tr", { class: f.paused ? "paused" : "" },
        el("td", { title: f.url, text: f.name }), el("td", { text: f.last_polled || "never" }),
        el("td", { text: f.last_status || "-" }), el("td", { text: last.new ?? "-" }),
        el("td", { text: last.duplicate ?? "-" }), el("td", { text: last.failed ?? "-" }),
        el("td", { text: last.mentions ?? "-" }), el("td", { text: stateText })));
    }
    $("feeds-msg").textContent = feeds.total ? "" : "No feeds watched (dragoman feeds add URL).";
    list.replaceChildren();
    for (const a of alerts.items) {
      const item = el("li", {}, el("b", { text: a.name }), ` ${JSON.stringify(a.filter)} · ${a.hits} hit(s)`);
      const hits = el("ul", {});
      for (const h of a.latest) {
        const s = h.story || {};
        const who = [s.source && (s.source.name || s.source.code), s.target && (s.target.name || s.target.code)];
        hits.append(el("li", { class: "hit", "data-story": h.story_id,
          text: `${h.fired_at} ${s.cameo || ""} ${who.filter(Boolean).join(" → ")} ${(s.date && s.date.start) || ""}` }));
      }
      item.append(hits);
      list.append(item);
    }
    $("alerts-msg").textContent = alerts.total ? "" : "No alerts (dragoman alert add NAME --country …).";
    $("count-watch").textContent = `${feeds.total} feed(s), ${feeds.paused} paused · ${alerts.total} alert(s)`;
  } catch (e) {
    $("feeds-msg").textContent = e.message;
  }
}

// ------------------------------------------------------------------ start-up

function fill(select, items) {
  for (const it of items) select.append(el("option", { value: it.value, text: `${it.value} (${it.count})` }));
}

function redrawOnResize() {
  let timer = null, lastWidth = $("timeline").clientWidth;  // (the first, immediate observation changes nothing)
  new ResizeObserver(() => {
    const w = $("timeline").clientWidth;
    if (Math.abs(w - lastWidth) < 8) return;  // redraw at a new width only, so text keeps its size
    lastWidth = w;
    clearTimeout(timer);
    timer = setTimeout(() => { for (const draw of Object.values(drawn)) draw(); }, 150);
  }).observe(document.querySelector("main"));
}

function storeStats(facets) {
  const corrected = facets.corrections ? ` · ${facets.corrections} correction(s) applied` : "";
  $("store-stats").textContent = `${facets.mentions} mentions from ${facets.articles} articles, ${facets.date_min || "?"} to ${facets.date_max || "?"}${corrected}`;
}

/** After an analyst's correction or undo: every view, the store's figures and the corrections panel again. */
async function afterCorrection() {
  await refresh();
  await window.DragomanCorrections.loadPanel();
  api("/api/facets").then(storeStats).catch(() => {});
}

async function start() {
  const f = $("filters");
  try {
    const facets = await api("/api/facets");
    fill(f.elements.country, facets.countries);
    fill(f.elements.plover, facets.plover);
    fill(f.elements.factuality, facets.factuality);
    storeStats(facets);
  } catch (e) { $("store-stats").textContent = e.message; }

  const userRefresh = () => { readFilters(); state.offset = 0; state.evidence = null; pushState(); refresh(); };
  f.addEventListener("submit", (ev) => { ev.preventDefault(); userRefresh(); });
  f.elements.all_factualities.addEventListener("change", userRefresh);  // the toggles apply at once
  f.elements.raw.addEventListener("change", userRefresh);
  // the reader's correction form follows the selected mention (corrections.js)
  document.addEventListener("dragoman:mention-selected", (ev) => window.DragomanCorrections.form(ev.detail.mention, $("mention-tools")));
  document.addEventListener("dragoman:token", () => {
    const m = article && article.mentions.find((x) => x.id === $("mention-tools").dataset.mentionId);
    window.DragomanCorrections.form(m || null, $("mention-tools"));
    window.DragomanCorrections.loadPanel();
  });
  $("clear-filters").addEventListener("click", () => { f.reset(); userRefresh(); });
  $("dyad-form").addEventListener("submit", (ev) => {
    ev.preventDefault();
    const d = $("dyad-form");
    state.dyad = { source: d.source.value.trim(), target: d.target.value.trim(), symmetric: d.symmetric.checked };
    state.dyadPicked = false;
    pushState();
    loadDyad();
  });
  $("network-by-country").addEventListener("change", (ev) => { state.networkByCountry = ev.target.checked; pushState(); loadNetwork(); });
  $("evidence-clear").addEventListener("click", () => { state.evidence = null; state.offset = 0; pushState(); loadTable(); });
  $("prev").addEventListener("click", () => { state.offset = Math.max(0, state.offset - PAGE); pushState(); loadTable(); });
  $("next").addEventListener("click", () => { state.offset += PAGE; pushState(); loadTable(); });
  window.addEventListener("popstate", () => { Object.assign(state, stateFromQuery(location.search)); syncForms(); refresh(); });

  Object.assign(state, stateFromQuery(location.search));
  syncForms();
  const canonical = stateToQuery();  // what was dropped from the URL is dropped from the address too
  if ("?" + canonical !== location.search && (canonical || location.search)) history.replaceState(null, "", canonical ? `?${canonical}` : location.pathname);
  loadWatch();
  setInterval(loadWatch, 60000);
  await window.DragomanCorrections.start(afterCorrection);
  await refresh();
  redrawOnResize();
}

document.addEventListener("DOMContentLoaded", start);
