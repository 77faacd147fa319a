// The dashboard's behaviour: the live panel, review decisions (a key each), previews, the chart.
// Everything shown is set as text (textContent), never as HTML: mined text can hold markup.
"use strict";

const csrf = () => document.querySelector('meta[name="csrf-token"]').content;

async function post(path, body) {
  const response = await fetch(path, {
    method: "POST",
    credentials: "same-origin",
    headers: { "Content-Type": "application/json", "X-CSRF-Token": csrf() },
    body: JSON.stringify(body),
  });
  const data = await response.json().catch(() => ({}));
  if (!response.ok) {
    const detail = typeof data.detail === "string" ? data.detail : JSON.stringify(data.detail);
    throw new Error(detail || response.statusText);
  }
  return data;
}

function element(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

// -- live activity panel ----------------------------------------------------------------
function startLivePanel() {
  const list = document.getElementById("live-list");
  const state = document.getElementById("live-state");
  if (!list || !window.EventSource) return;
  const source = new EventSource("/api/events/stream");
  source.addEventListener("open", () => { state.textContent = "live"; });
  source.addEventListener("error", () => { state.textContent = "reconnecting…"; });
  source.addEventListener("activity", (message) => {
    const item = JSON.parse(message.data);
    if (item.id && list.querySelector(`li[data-id="${item.id}"]`)) return;
    list.querySelector("li.empty")?.remove();
    const row = element("li", "new");
    row.dataset.id = String(item.id);
    row.append(element("span", "src", item.source), " ", element("span", "kind", item.kind),
      " ", element("span", "sum", item.summary), " ",
      element("time", "", new Date(item.at).toTimeString().slice(0, 8)));
    list.prepend(row);
    while (list.children.length > 50) list.lastElementChild.remove();
  });
}

// -- candidates: one keystroke per decision ----------------------------------------------
function startReview() {
  const article = document.getElementById("candidate");
  if (!article) return;
  const result = document.getElementById("decision-result");
  const note = document.getElementById("note");
  let busy = false;
  async function decide(decision) {
    if (busy) return;
    busy = true;
    result.textContent = `${decision}…`;
    try {
      const done = await post(`/api/patterns/${encodeURIComponent(article.dataset.id)}/${decision}`,
        { note: note.value });
      result.textContent = `${done.id} is now ${done.status}`;
      const next = article.dataset.next;
      window.location.assign(next ? `/dashboard/candidates?id=${encodeURIComponent(next)}`
        : "/dashboard/candidates");
    } catch (error) {
      result.textContent = `Not done: ${error.message}`;
      busy = false;
    }
  }
  for (const button of document.querySelectorAll("button[data-decision]")) {
    button.addEventListener("click", () => decide(button.dataset.decision));
  }
  const keys = { a: "approve", r: "reject", q: "quarantine" };
  document.addEventListener("keydown", (event) => {
    if (event.target.closest("input, textarea, select") || event.ctrlKey || event.metaKey || event.altKey) return;
    if (keys[event.key]) { event.preventDefault(); decide(keys[event.key]); return; }
    if (event.key === "n") { event.preventDefault(); note.focus(); return; }
    if (event.key === "j" || event.key === "k") move(event.key === "j" ? 1 : -1);
  });
}

function move(step) {
  const links = [...document.querySelectorAll(".queue a[data-id]")];
  const at = links.findIndex((link) => link.closest("li").classList.contains("chosen"));
  const target = links[at + step];
  if (target) window.location.assign(target.href);
}

// -- pattern page: preview `apply --dry-run` ---------------------------------------------
function startPreview() {
  const form = document.getElementById("preview-form");
  if (!form) return;
  const out = document.getElementById("preview-result");
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const values = Object.fromEntries(new FormData(form).entries());
    out.replaceChildren();
    try {
      const files = await post(`/api/patterns/${encodeURIComponent(form.dataset.pattern)}/preview`, { values });
      for (const file of files) {
        const figure = element("figure");
        const caption = element("figcaption", "", file.path + (file.exists ? " (exists: apply would refuse without --force)" : ""));
        figure.append(caption, element("pre", "member", file.text));
        out.append(figure);
      }
    } catch (error) {
      out.append(element("p", "error", error.message));
    }
  });
}

// -- pattern page: roll back to a kept version ------------------------------------------
function startRollback() {
  const form = document.getElementById("rollback-form");
  if (!form) return;
  const out = document.getElementById("rollback-result");
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const fields = Object.fromEntries(new FormData(form).entries());
    const body = { note: fields.note, to: fields.to || null };
    try {
      const done = await post(`/api/patterns/${encodeURIComponent(form.dataset.pattern)}/rollback`, body);
      out.textContent = `${done.id} is at version ${done.version}`;
      document.getElementById("version").textContent = done.version;
    } catch (error) {
      out.textContent = `Not done: ${error.message}`;
    }
  });
}

// -- overview chart -------------------------------------------------------------------------
function startChart() {
  const holder = document.getElementById("weekly-chart");
  const island = document.getElementById("weekly-data");
  if (!holder || !island || !window.uPlot) return;
  const data = JSON.parse(island.textContent);
  const x = data.weeks.map((week) => Date.parse(`${week}T00:00:00Z`) / 1000);
  const options = {
    width: Math.max(320, holder.clientWidth), height: 220,
    series: [{}, { label: "uses", stroke: "#2563eb", width: 2 },
      { label: "hours saved", stroke: "#16a34a", width: 2, scale: "h" }],
    axes: [{}, { label: "uses" }, { side: 1, scale: "h", label: "hours", grid: { show: false } }],
  };
  new window.uPlot(options, [x, data.uses, data.hours_saved], holder);
}

document.addEventListener("DOMContentLoaded", () => {
  startLivePanel();
  startReview();
  startPreview();
  startRollback();
  startChart();
});
