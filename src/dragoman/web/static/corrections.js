/* Dragoman dashboard: an analyst's corrections. The reader's correction form (mark the selected mention or its
   story wrong, confirm it, or fix its fields, with a reason) and the Corrections panel (every correction, with an
   undo button). Writing needs the server's token: it is asked for once and kept in this tab's sessionStorage
   only. Every string from the store goes into the page as text, never as markup (as in app.js). */
"use strict";

const Corrections = (() => {
  const FIELDS = [
    // [field, label, placeholder]: what a fix may set (dragoman.store.corrections.FIELDS)
    ["cameo", "CAMEO code", "e.g. 190"], ["plover", "PLOVER type", "e.g. ASSAULT"],
    ["source", "source code", "e.g. SYRGOV, or none"], ["target", "target code", "e.g. USA, or none"],
    ["date", "date", "YYYY-MM-DD or START/END, or none"], ["place", "place", "name, or none"],
    ["place_country", "place country", "ISO alpha-3"],
  ];
  const FACTUALITIES = ["asserted", "reported", "historical", "predicted", "hypothetical", "negated"];
  let onChange = () => Promise.resolve();
  let writeEnabled = false;

  function node(tag, attrs, ...children) {
    const n = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (v === null || v === undefined || v === false) continue;
      if (k === "class") n.className = v;
      else if (k === "text") n.textContent = v;
      else if (k.startsWith("on")) n.addEventListener(k.slice(2), v);
      else n.setAttribute(k, v === true ? "" : v);
    }
    for (const c of children) n.append(c instanceof Node ? c : document.createTextNode(String(c ?? "")));
    return n;
  }

  const token = () => sessionStorage.getItem("dragoman-token") || "";
  const analyst = () => sessionStorage.getItem("dragoman-analyst") || "";

  async function send(method, path, body) {
    const res = await fetch(path, {
      method, headers: { Accept: "application/json", "Content-Type": "application/json", Authorization: `Bearer ${token()}` },
      body: body ? JSON.stringify(body) : undefined,
    });
    const answer = await res.json().catch(() => ({ reason: res.statusText }));
    if (!res.ok) throw new Error(answer.reason || `HTTP ${res.status}`);
    return answer;
  }

  function codedValue(m, field) {
    const d = m.date || {}, loc = m.location || {};
    switch (field) {
      case "source": return (m.source && m.source.code) || "";
      case "target": return (m.target && m.target.code) || "";
      case "date": return d.start ? (d.end && d.end !== d.start ? `${d.start}/${d.end}` : d.start) : "";
      case "place": return loc.name || "";
      case "place_country": return loc.country || "";
      default: return m[field] || "";
    }
  }

  // ------------------------------------------------------------ the token

  function tokenBar() {
    const bar = document.getElementById("analyst-bar");
    if (!bar) return;
    bar.replaceChildren();
    if (!writeEnabled) {
      bar.append(node("span", { class: "muted", text: "read-only (the server has no write token)" }));
      return;
    }
    if (token()) {
      bar.append(node("span", { text: `correcting as ${analyst() || "analyst"}` }), " ",
        node("button", { type: "button", id: "token-forget", text: "forget token",
          onclick: () => { sessionStorage.removeItem("dragoman-token"); tokenBar(); } }));
      return;
    }
    const form = node("form", { id: "token-form", class: "inline" },
      node("input", { name: "analyst", placeholder: "your name", size: "10", value: analyst() }),
      node("input", { name: "token", type: "password", placeholder: "write token", size: "14", autocomplete: "off" }),
      node("button", { type: "submit", text: "start correcting" }));
    form.addEventListener("submit", (ev) => {
      ev.preventDefault();
      sessionStorage.setItem("dragoman-token", form.elements.token.value.trim());
      sessionStorage.setItem("dragoman-analyst", form.elements.analyst.value.trim());
      tokenBar();
      document.dispatchEvent(new CustomEvent("dragoman:token"));
    });
    bar.append(form);
  }

  // ------------------------------------------------------------ the reader's form

  function form(mention, container) {
    container.replaceChildren();
    if (!mention) return;
    const status = mention.correction;
    if (status) {
      const said = status.wrong ? "marked wrong" : status.confirmed ? "confirmed" : `corrected (${status.fields.join(", ")})`;
      container.append(node("p", { class: "corrected-note", text: `This mention was ${said} by an analyst.` }));
    }
    if (!writeEnabled || !token()) {
      container.append(node("p", { class: "muted", text: writeEnabled ? "Enter the write token above to correct this mention." : "" }));
      return;
    }
    const f = node("form", { id: "correction-form", class: "correction-form", autocomplete: "off" });
    const which = node("select", { name: "of" }, node("option", { value: "mention", text: "this mention" }));
    if (mention.story_id) which.append(node("option", { value: "story", text: "its story" }));
    const action = node("select", { name: "action" },
      node("option", { value: "fix", text: "fix fields" }), node("option", { value: "wrong", text: "is wrong: no such event" }),
      node("option", { value: "confirm", text: "is right" }));
    f.append(node("div", { class: "correction-row" }, node("label", {}, "Correct ", which), node("label", {}, " — it ", action)));
    const grid = node("div", { class: "correction-fields" });
    for (const [field, label, hint] of FIELDS) {
      grid.append(node("label", {}, label, node("input", { name: field, value: codedValue(mention, field), placeholder: hint, size: "14" })));
    }
    const fact = node("select", { name: "factuality" }, ...FACTUALITIES.map((v) => node("option", { value: v, text: v, selected: v === mention.factuality })));
    grid.append(node("label", {}, "factuality", fact));
    f.append(grid);
    f.append(node("label", { class: "reason" }, "reason ", node("input", { name: "reason", size: "50", required: true, placeholder: "why (kept with the correction)" })));
    const msg = node("span", { class: "correction-msg", role: "status" });
    f.append(node("button", { type: "submit", text: "save correction" }), " ", msg);
    action.addEventListener("change", () => { grid.hidden = action.value !== "fix"; });
    f.addEventListener("submit", async (ev) => {
      ev.preventDefault();
      const body = { action: action.value, reason: f.elements.reason.value.trim(), analyst: analyst() || null };
      if (which.value === "story") body.story_id = mention.story_id; else body.mention_id = mention.id;
      if (action.value === "fix") {
        body.fields = {};
        for (const [field] of FIELDS) {
          const now = f.elements[field].value.trim();
          if (now !== codedValue(mention, field)) body.fields[field] = now === "" ? null : now;
        }
        if (fact.value !== mention.factuality) body.fields.factuality = fact.value;
        if (!Object.keys(body.fields).length) { msg.textContent = "Change a field first (or choose wrong / right)."; return; }
      }
      try {
        const saved = await send("POST", "/api/corrections", body);
        msg.textContent = `saved (${saved.correction_id})`;
        await onChange();
      } catch (e) { msg.textContent = e.message; }
    });
    container.append(f);
  }

  // ------------------------------------------------------------ the panel

  function describe(c) {
    if (c.action !== "fix") return c.action === "wrong" ? "marked wrong" : "confirmed";
    return Object.entries(c.fields || {}).map(([k, v]) => `${k}: ${(c.original || {})[k] ?? "none"} → ${v ?? "none"}`).join("; ");
  }

  async function loadPanel() {
    const body = document.querySelector("#corrections tbody");
    const msg = document.getElementById("corrections-msg");
    if (!body) return;
    try {
      const page = await fetch("/api/corrections?limit=200", { headers: { Accept: "application/json" } }).then((r) => r.json());
      body.replaceChildren();
      for (const c of page.items) {
        const state = !c.active ? "undone" : c.applied ? "applied" : "unapplied";
        const undo = c.active && writeEnabled && token()
          ? node("button", { type: "button", class: "undo", "data-id": c.correction_id, text: "undo",
            onclick: async (ev) => {
              ev.target.disabled = true;
              try { await send("DELETE", `/api/corrections/${encodeURIComponent(c.correction_id)}?analyst=${encodeURIComponent(analyst())}`); await onChange(); }
              catch (e) { msg.textContent = e.message; ev.target.disabled = false; }
            } })
          : node("span", { class: "muted", text: "" });
        body.append(node("tr", { "data-id": c.correction_id, class: state },
          node("td", { text: c.created_at }), node("td", { text: c.analyst || "" }),
          node("td", { text: `${c.kind} ${c.mention_id || c.story_id}`, title: c.sentence || "" }),
          node("td", { text: describe(c) }), node("td", { text: c.reason || "" }), node("td", { text: state }),
          node("td", {}, undo)));
      }
      msg.textContent = page.total ? "" : "No corrections yet: select a mention in the reader to correct it.";
      const count = document.getElementById("count-corrections");
      const active = page.items.filter((c) => c.active).length;
      count.textContent = `${page.total} correction(s), ${active} active`;
      count.dataset.count = String(active);
    } catch (e) { msg.textContent = e.message; }
  }

  async function start(refresh) {
    onChange = refresh;
    try {
      const health = await fetch("/api/health", { headers: { Accept: "application/json" } }).then((r) => r.json());
      writeEnabled = Boolean(health.write_enabled);
    } catch (e) { writeEnabled = false; }
    tokenBar();
    await loadPanel();
  }

  return { start, form, loadPanel };
})();

window.DragomanCorrections = Corrections;
