/* Dragoman dashboard: plain JavaScript, no build step. Every string from the store is put into the page as
   text (textContent, DOM nodes, SVG attributes), never parsed as markup. */
"use strict";

const SVGNS = "http://www.w3.org/2000/svg";
const QUAD = { 1: "verbal cooperation", 2: "material cooperation", 3: "verbal conflict", 4: "material conflict" };
const FILTER_KEYS = ["since", "until", "actor", "country", "plover", "quad_class", "factuality"];
const PAGE = 25;

const state = {
  filters: {},        // the filter bar
  mode: "mentions",   // mentions | stories
  evidence: null,     // {params, label}: what a clicked chart element narrowed the table to
  offset: 0,
  dyad: { source: "", target: "", symmetric: false },
  article: null,      // the article in the reader
  selected: null,     // the mention selected in the reader
};

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
  if (!res.ok) throw new Error(body.reason || `HTTP ${res.status}`);
  return body;
}

function filterParams() { return { ...state.filters }; }

function $(id) { return document.getElementById(id); }

function setCount(id, n, what) {
  const node = $(id);
  node.textContent = `${n} ${what}`;
  node.dataset.count = String(n);
}

function message(container, text) { container.replaceChildren(el("p", { class: "muted", text })); }

function actorLabel(a) { return a ? (a.code || "") + (a.name ? ` (${a.name})` : "") : "—"; }

function clip(s, n) { s = s || ""; return s.length > n ? s.slice(0, n - 1) + "…" : s; }

function periodEnd(start, interval) {
  const d = new Date(start + "T00:00:00Z");
  if (interval === "week") d.setUTCDate(d.getUTCDate() + 6);
  else if (interval === "month") { d.setUTCMonth(d.getUTCMonth() + 1); d.setUTCDate(0); }
  return d.toISOString().slice(0, 10);
}

function intervalFor(periodsSpanDays) { return periodsSpanDays <= 62 ? "day" : periodsSpanDays <= 400 ? "week" : "month"; }

// ------------------------------------------------------------------ evidence links

function showEvidence(params, label) {
  state.evidence = { params, label };
  state.offset = 0;
  loadTable().then(() => $("table-view").scrollIntoView({ block: "start" }));
}

function periodEvidence(period, interval, extra, label) {
  showEvidence({ ...extra, since: period, until: periodEnd(period, interval) }, label);
}

// ------------------------------------------------------------------ stacked bars (timeline and dyad)

function barChart(container, periods, interval, opts) {
  if (!periods.length) { message(container, "No dated events for this filter."); return; }
  const W = 640, H = 220, L = 36, B = 26, T = 8;
  const max = Math.max(...periods.map((p) => opts.share ? 1 : p.count));
  const bw = (W - L - 4) / periods.length;
  const y = (v) => H - B - (v / max) * (H - B - T);
  const root = svg("svg", { viewBox: `0 0 ${W} ${H}`, role: "img", "aria-label": opts.label });
  root.append(svg("line", { class: "axis", x1: L, y1: H - B, x2: W, y2: H - B }));
  root.append(svg("text", { class: "axis-label", x: 2, y: T + 8, text: opts.share ? "100%" : String(max) }));
  periods.forEach((p, i) => {
    let base = 0;
    const x = L + i * bw;
    for (const q of ["1", "2", "3", "4"]) {
      const v = opts.share ? p.quad_share[q] : p.quad_class[q];
      if (!v) continue;
      const y0 = y(base), y1 = y(base + v);
      const r = svg("rect", {
        class: `bar q${q}`, x: x + 1, y: y1, width: Math.max(bw - 2, 1), height: Math.max(y0 - y1, 0.5),
        "data-period": p.period, "data-quad": q, "data-count": p.quad_class[q],
        title: `${p.period}: ${p.quad_class[q]} ${QUAD[q]} of ${p.count}; Goldstein sum ${p.goldstein_sum}, mean ${p.goldstein_mean}`,
        onclick: () => periodEvidence(p.period, interval, { ...opts.extra, quad_class: q },
          `${opts.label}: ${QUAD[q]}, ${p.period} (${interval})`),
      });
      root.append(r);
      base += v;
    }
    if (i % Math.ceil(periods.length / 8) === 0) {
      root.append(svg("text", { class: "axis-label", x: x + 1, y: H - 8, text: p.period.slice(0, interval === "month" ? 7 : 10) }));
    }
  });
  if (opts.goldstein) {
    // mean Goldstein (-10..10) as a line over the bars, on its own scale
    const gy = (g) => T + ((10 - g) / 20) * (H - B - T);
    const pts = periods.map((p, i) => `${L + i * bw + bw / 2},${gy(p.goldstein_mean)}`).join(" ");
    root.append(svg("polyline", { class: "gline", points: pts }));
    root.append(svg("text", { class: "axis-label", x: W - 110, y: T + 8, text: "— mean Goldstein (±10)" }));
  }
  container.replaceChildren(root);
}

async function loadTimeline() {
  const box = $("timeline");
  try {
    const f = filterParams();
    const span = f.since && f.until ? (Date.parse(f.until) - Date.parse(f.since)) / 864e5 : 9999;
    const interval = intervalFor(span);
    const data = await api("/api/series", { ...f, interval });
    setCount("count-timeline", data.periods.reduce((a, p) => a + p.count, 0), "dated mentions");
    barChart(box, data.periods, interval, { label: "Timeline", extra: {} });
  } catch (e) { message(box, e.message); }
}

async function loadDyad() {
  const box = $("dyad");
  const d = state.dyad;
  if (!d.source && !d.target) { message(box, "Pick a source and target (or click a network edge)."); setCount("count-dyad", 0, "mentions"); return; }
  try {
    const data = await api("/api/series", { ...filterParams(), source: d.source, target: d.target, symmetric: d.symmetric, interval: "month" });
    setCount("count-dyad", data.periods.reduce((a, p) => a + p.count, 0), `dated mentions ${d.source || "any"} → ${d.target || "any"}`);
    const extra = d.symmetric ? {} : { source: d.source, target: d.target };
    barChart(box, data.periods, "month", { label: `Dyad ${d.source} → ${d.target}`, share: true, goldstein: true, extra });
  } catch (e) { message(box, e.message); }
}

// ------------------------------------------------------------------ network

async function loadNetwork() {
  const box = $("network");
  try {
    const data = await api("/api/network", { ...filterParams(), limit: 60 });
    setCount("count-network", data.edges.reduce((a, e) => a + e.count, 0), `mentions in ${data.edges.length} edges`);
    if (!data.edges.length) { message(box, "No mentions with both a source and a target."); return; }
    if (!state.dyad.source && !state.dyad.target) {
      state.dyad.source = data.edges[0].source; state.dyad.target = data.edges[0].target;
      syncDyadForm(); loadDyad();
    }
    const W = 640, H = 420, cx = W / 2, cy = H / 2, R = Math.min(W, H) / 2 - 50;
    const nodes = data.nodes.slice(0, 40);
    const pos = {};
    nodes.forEach((n, i) => {
      const a = (2 * Math.PI * i) / nodes.length - Math.PI / 2;
      pos[n.id] = [cx + R * Math.cos(a), cy + R * Math.sin(a), a];
    });
    const maxE = Math.max(...data.edges.map((e) => e.count));
    const root = svg("svg", { viewBox: `0 0 ${W} ${H}`, role: "img", "aria-label": "Actor network" });
    root.append(svg("defs", {}, svg("marker", { id: "arrow", viewBox: "0 0 10 10", refX: 16, refY: 5, markerWidth: 5, markerHeight: 5, orient: "auto-start-reverse" },
      svg("path", { d: "M 0 0 L 10 5 L 0 10 z", fill: "#888" }))));
    for (const e of data.edges) {
      if (!pos[e.source] || !pos[e.target]) continue;
      const [x1, y1] = pos[e.source], [x2, y2] = pos[e.target];
      const dom = Object.entries(e.quad_class).sort((a, b) => b[1] - a[1])[0][0];
      const mx = (x1 + x2) / 2 + (y2 - y1) * 0.12, my = (y1 + y2) / 2 - (x2 - x1) * 0.12;
      root.append(svg("path", {
        class: `edge q${dom}`, d: `M${x1},${y1} Q${mx},${my} ${x2},${y2}`, "stroke-width": 1 + (4 * e.count) / maxE,
        "marker-end": "url(#arrow)", "data-source": e.source, "data-target": e.target, "data-count": e.count,
        title: `${e.source} → ${e.target}: ${e.count} (coop ${e.quad_class[1]}+${e.quad_class[2]}, conflict ${e.quad_class[3]}+${e.quad_class[4]}); mean Goldstein ${e.goldstein_mean}`,
        onclick: () => {
          state.dyad = { source: e.source, target: e.target, symmetric: false };
          syncDyadForm(); loadDyad();
          showEvidence({ source: e.source, target: e.target }, `Network edge ${e.source} → ${e.target}`);
        },
      }));
    }
    const maxN = Math.max(...nodes.map((n) => n.count));
    for (const n of nodes) {
      const [x, y, a] = pos[n.id];
      const g = svg("g", {
        class: "node", "data-id": n.id, title: `${n.id}: ${n.count} (source ${n.out}, target ${n.in})`,
        onclick: () => showEvidence({ actor_code: n.id }, `Actor ${n.id}`),
      });
      g.append(svg("circle", { cx: x, cy: y, r: 4 + (8 * n.count) / maxN }));
      const right = Math.cos(a) >= 0;
      g.append(svg("text", { x: x + (right ? 12 : -12), y: y + 3, "text-anchor": right ? "start" : "end", text: n.id }));
      root.append(g);
    }
    box.replaceChildren(root);
  } catch (e) { message(box, e.message); }
}

// ------------------------------------------------------------------ map

let WORLD = null;

async function world() {
  if (WORLD) return WORLD;
  const topo = await api("/static/vendor/countries-110m.json");
  WORLD = window.topojson.feature(topo, topo.objects.countries).features;
  return WORLD;
}

function project(lon, lat, W, H) { return [((lon + 180) / 360) * W, ((90 - lat) / 180) * H]; }

function ringPath(rings, W, H) {
  let d = "";
  for (const ring of rings) {
    let prev = null;
    ring.forEach(([lon, lat], i) => {
      const [x, y] = project(lon, lat, W, H);
      const jump = prev !== null && Math.abs(lon - prev) > 180;  // do not draw across the antimeridian
      d += (i === 0 || jump ? "M" : "L") + x.toFixed(1) + "," + y.toFixed(1);
      prev = lon;
    });
    d += "Z";
  }
  return d;
}

async function loadMap() {
  const box = $("map");
  try {
    const [features, data] = await Promise.all([world(), api("/api/places", { ...filterParams(), limit: 2000 })]);
    const located = data.items.filter((p) => p.lat !== null && p.lon !== null);
    setCount("count-map", located.reduce((a, p) => a + p.count, 0), `located mentions at ${located.length} places`);
    const W = 720, H = 360;
    const root = svg("svg", { viewBox: `0 0 ${W} ${H}`, role: "img", "aria-label": "Map of event locations" });
    const land = svg("g", {});
    for (const f of features) {
      const g = f.geometry;
      if (!g) continue;
      const polys = g.type === "Polygon" ? [g.coordinates] : g.coordinates;
      land.append(svg("path", { class: "land", d: polys.map((p) => ringPath(p, W, H)).join("") }));
    }
    root.append(land);
    const max = Math.max(1, ...located.map((p) => p.count));
    for (const p of located) {
      const [x, y] = project(p.lon, p.lat, W, H);
      root.append(svg("circle", {
        class: "place" + (p.goldstein_mean > 0 ? " coop" : ""), cx: x, cy: y, r: 2.5 + (7 * Math.sqrt(p.count)) / Math.sqrt(max),
        "data-place": p.name, "data-count": p.count,
        title: `${p.name}, ${p.country || "?"}: ${p.count} event(s), ${p.conflict} conflict; mean Goldstein ${p.goldstein_mean}`,
        onclick: () => showEvidence({ place: p.name, place_country: p.country || "" }, `Place ${p.name}`),
      }));
    }
    box.replaceChildren(root);
  } catch (e) { message(box, e.message); }
}

// ------------------------------------------------------------------ event table

function tableParams() {
  const p = { ...filterParams(), ...(state.evidence ? state.evidence.params : {}) };
  if (state.evidence && state.filters.since && p.since < state.filters.since) p.since = state.filters.since;
  if (state.evidence && state.filters.until && p.until > state.filters.until) p.until = state.filters.until;
  return p;
}

async function loadTable() {
  const head = $("events").tHead, body = $("events").tBodies[0];
  const msg = $("table-msg");
  msg.textContent = "";
  $("evidence-bar").hidden = !state.evidence;
  $("evidence-label").textContent = state.evidence ? "Evidence for: " + state.evidence.label : "";
  const params = { ...tableParams(), limit: PAGE, offset: state.offset };
  $("dl-csv").href = "/api/mentions?" + query({ ...tableParams(), format: "csv" });
  $("dl-parquet").href = "/api/mentions?" + query({ ...tableParams(), format: "parquet" });
  try {
    if (state.mode === "stories") {
      $("table-title").textContent = "Stories";
      const data = await api("/api/stories", params);
      setCount("count-table", data.total, "stories");
      head.replaceChildren(el("tr", {}, ...["story", "date", "source", "event", "target", "place", "mentions"].map((h) => el("th", { text: h }))));
      body.replaceChildren(...data.items.map(storyRow));
      pager(data.total);
      return;
    }
    $("table-title").textContent = "Events";
    const data = await api("/api/mentions", params);
    setCount("count-table", data.total, "mentions");
    head.replaceChildren(el("tr", {}, ...["date", "source", "event", "target", "place", "factuality", "sentence"].map((h) => el("th", { text: h }))));
    body.replaceChildren(...data.items.map(mentionRow));
    pager(data.total);
  } catch (e) {
    setCount("count-table", 0, state.mode);
    body.replaceChildren();
    msg.textContent = e.message;
  }
}

function mentionRow(m) {
  const d = m.date || {};
  return el("tr", { "data-id": m.id, onclick: () => openArticle(m.article_id, m.id) },
    el("td", { text: d.start ? (d.end && d.end !== d.start ? `${d.start}…${d.end}` : d.start) : "—" }),
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
  const open = () => { if (first) openArticle(first.article_id || "", first.id || null); };
  const asText = (v) => (v && typeof v === "object" ? actorLabel(v) : String(v ?? ""));
  return el("tr", { "data-id": pick("story_id", "id"), onclick: open },
    el("td", { text: String(pick("story_id", "id")) }),
    // the event's date (the members' vote), never the day it was first reported
    el("td", { text: (r.date && r.date.start) ? (r.date.end && r.date.end !== r.date.start ? `${r.date.start}…${r.date.end}` : r.date.start) : (asText(pick("date_start")) || "—") }),
    el("td", { text: asText(pick("source", "source_country")) }),
    el("td", { text: `${pick("cameo")} ${pick("plover")}` }),
    el("td", { text: asText(pick("target", "target_country")) }),
    el("td", { text: r.location ? r.location.name || "" : asText(pick("loc_name")) }),
    el("td", { text: String(pick("num_mentions")) }));
}

function pager(total) {
  $("page-info").textContent = total ? `${state.offset + 1}–${Math.min(state.offset + PAGE, total)} of ${total}` : "none";
  $("prev").disabled = state.offset === 0;
  $("next").disabled = state.offset + PAGE >= total;
}

// ------------------------------------------------------------------ article reader

async function openArticle(articleId, mentionId) {
  const box = $("reader-text");
  try {
    const art = await api("/api/articles/" + encodeURIComponent(articleId));
    state.article = art;
    const meta = [art.title, art.source, art.published].filter(Boolean).join(" · ");
    $("reader-meta").replaceChildren(document.createTextNode(meta + " "));
    if (art.url && /^https?:\/\//i.test(art.url)) {
      $("reader-meta").append(el("a", { href: art.url, rel: "noopener noreferrer nofollow", target: "_blank", text: "source" }));
    }
    const list = $("reader-mentions");
    list.replaceChildren(...art.mentions.map((m) => el("li", {
      "data-id": m.id, onclick: () => selectMention(m.id),
      text: `${actorLabel(m.source)} —${m.cameo} ${m.plover}→ ${actorLabel(m.target)} [${m.factuality}]`,
    })));
    selectMention(mentionId || (art.mentions[0] && art.mentions[0].id) || null);
    $("reader-view").scrollIntoView({ block: "start" });
  } catch (e) { message(box, e.message); }
}

function selectMention(mentionId) {
  const art = state.article;
  state.selected = mentionId;
  const m = art.mentions.find((x) => x.id === mentionId) || null;
  for (const li of $("reader-mentions").children) li.classList.toggle("selected", li.dataset.id === mentionId);
  renderText(art.text, m, art.mentions);
  renderDetail(m);
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
      mark.addEventListener("click", () => selectMention(other.mid));
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
    ["place", loc.name ? `${loc.name}, ${loc.country || "?"}` : "—"], ["factuality", m.factuality],
    ["confidence", m.confidence], ["attribution", m.attribution ? m.attribution.text : "—"],
  ];
  dl.replaceChildren(...rows.flatMap(([k, v]) => [el("dt", { text: k }), el("dd", { text: String(v ?? "") })]));
}

// ------------------------------------------------------------------ filters and start-up

function syncDyadForm() {
  const f = $("dyad-form");
  f.source.value = state.dyad.source; f.target.value = state.dyad.target; f.symmetric.checked = state.dyad.symmetric;
}

function readFilters() {
  const f = $("filters");
  state.filters = {};
  for (const k of FILTER_KEYS) if (f.elements[k].value) state.filters[k] = f.elements[k].value.trim();
  state.mode = f.elements.mode.value;
}

function refresh() {
  state.offset = 0;
  state.evidence = null;
  return Promise.all([loadTimeline(), loadNetwork(), loadMap(), loadTable(), loadDyad()]).then(() => {
    document.body.dataset.ready = String(Number(document.body.dataset.ready || 0) + 1);
  });
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

function fill(select, items) {
  for (const it of items) select.append(el("option", { value: it.value, text: `${it.value} (${it.count})` }));
}

async function start() {
  const f = $("filters");
  try {
    const facets = await api("/api/facets");
    fill(f.elements.country, facets.countries);
    fill(f.elements.plover, facets.plover);
    fill(f.elements.factuality, facets.factuality);
    $("store-stats").textContent = `${facets.mentions} mentions from ${facets.articles} articles, ${facets.date_min || "?"} to ${facets.date_max || "?"}`;
  } catch (e) { $("store-stats").textContent = e.message; }
  f.addEventListener("submit", (ev) => { ev.preventDefault(); readFilters(); refresh(); });
  $("clear-filters").addEventListener("click", () => { f.reset(); readFilters(); refresh(); });
  $("dyad-form").addEventListener("submit", (ev) => {
    ev.preventDefault();
    const d = $("dyad-form");
    state.dyad = { source: d.source.value.trim(), target: d.target.value.trim(), symmetric: d.symmetric.checked };
    loadDyad();
  });
  $("evidence-clear").addEventListener("click", () => { state.evidence = null; state.offset = 0; loadTable(); });
  $("prev").addEventListener("click", () => { state.offset = Math.max(0, state.offset - PAGE); loadTable(); });
  $("next").addEventListener("click", () => { state.offset += PAGE; loadTable(); });
  readFilters();
  loadWatch();
  setInterval(loadWatch, 60000);
  await refresh();
}

document.addEventListener("DOMContentLoaded", start);
