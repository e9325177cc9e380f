/* Permalinks for the explorables (schema: book/permalinks.yml, written into the page by
   _ext/figure_cards.py as <script type="application/json" id="explorable-links">).

   * Moving a control of an explorable writes the view into the address:
       ?view=<figure label>&v=<version>&<key>=<value>...#<figure label>
     (history.replaceState: no new history entry, no reload, no network).
   * Opening such an address migrates an older version to the current one (renamed keys),
     snaps each value to the control's current grid, makes that chart interactive and sets
     its controls.
   * Under each explorable, "Copy link to this view" and "Cite this view" (the values in
     words). Both are added here, so a page read without JavaScript shows neither. */
(function () {
  "use strict";
  const node = document.getElementById("explorable-links");
  if (!node) return;
  const schema = JSON.parse(node.textContent);

  function migrate(view, version, values) {
    let v = version;
    let out = { ...values };
    while (v < schema.version) {
      const step = schema.migrations.find((m) => m.from === v);
      if (!step) return null; // a version this page cannot read
      const rename = (step.rename || {})[view] || {};
      const next = {};
      for (const [key, value] of Object.entries(out)) next[rename[key] || key] = value;
      out = next;
      v = step.to;
    }
    return out;
  }

  function realControl(fig, param) {
    return fig.querySelectorAll(`.vega-bindings [name="${CSS.escape(param)}"]:not([data-param])`);
  }

  function controls(fig, param) {
    const real = realControl(fig, param);
    return real.length ? [...real] : [...fig.querySelectorAll(`[data-param="${CSS.escape(param)}"]`)];
  }

  function optionValue(option) {
    try { return String(JSON.parse(option.value)); } catch (e) { return option.value; }
  }

  function readValue(els) {
    const el = els[0];
    if (!el) return null;
    if (el.type === "radio") return (els.find((r) => r.checked) || el).value;
    if (el.type === "checkbox") return el.checked ? "true" : "false";
    if (el.tagName === "SELECT") return optionValue(el.options[el.selectedIndex]);
    return el.value;
  }

  function snap(el, text) {
    const x = Number(text);
    if (!Number.isFinite(x)) return null;
    const lo = Number(el.min), hi = Number(el.max), step = Number(el.step);
    let v = Math.min(hi, Math.max(lo, x));
    if (Number.isFinite(step) && step > 0) v = lo + Math.round((v - lo) / step) * step;
    return String(Number(v.toFixed(10)));
  }

  function setValue(els, text) {
    const el = els[0];
    if (!el) return;
    let changed = false;
    if (el.type === "radio") {
      const pick = els.find((r) => r.value === text);
      if (pick && !pick.checked) { pick.checked = true; changed = pick; }
    } else if (el.type === "checkbox") {
      const want = text === "true";
      if (el.checked !== want) { el.checked = want; changed = el; }
    } else if (el.tagName === "SELECT") {
      const i = [...el.options].findIndex((o) => optionValue(o) === text);
      if (i >= 0 && i !== el.selectedIndex) { el.selectedIndex = i; changed = el; }
    } else {
      const v = snap(el, text);
      if (v !== null && v !== el.value) { el.value = v; changed = el; }
    }
    if (changed) {
      const type = el.type === "range" ? "input" : "change";
      changed.dispatchEvent(new Event(type, { bubbles: true }));
    }
  }

  function state(fig) {
    const keys = schema.views[fig.id];
    const values = {};
    for (const [key, param] of Object.entries(keys)) values[key] = readValue(controls(fig, param));
    return values;
  }

  function link(fig) {
    const q = new URLSearchParams({ view: fig.id, v: String(schema.version), ...state(fig) });
    const url = new URL(window.location.href);
    url.search = q.toString();
    url.hash = fig.id;
    return url.href;
  }

  function words(fig) {
    const number = (fig.querySelector(".caption-number") || {}).textContent || "Figure";
    const parts = [];
    for (const [key, param] of Object.entries(schema.views[fig.id])) {
      const el = controls(fig, param)[0];
      const label = el && el.closest(".vega-bind") ? el.closest(".vega-bind").querySelector(".vega-bind-name") : null;
      parts.push(`${(label ? label.textContent : key).trim()} = ${readValue(controls(fig, param))}`);
    }
    const book = document.title.split(" — ").pop();
    return `${number.trim()}, explorable set to ${parts.join("; ")}. ${book}. ${link(fig)}`;
  }

  function toolbar(fig) {
    const bar = document.createElement("div");
    bar.className = "explorable-links";
    bar.innerHTML =
      '<button type="button" data-act="copy">Copy link to this view</button> ' +
      '<button type="button" data-act="cite">Cite this view</button> ' +
      '<output class="explorable-links-out" aria-live="polite"></output>';
    const out = bar.querySelector("output");
    bar.addEventListener("click", async (ev) => {
      const act = ev.target.closest("button")?.dataset.act;
      if (!act) return;
      const text = act === "copy" ? link(fig) : words(fig);
      out.textContent = text;
      try {
        await navigator.clipboard.writeText(text);
        out.dataset.copied = "true";
      } catch (e) {
        out.dataset.copied = "false"; // no clipboard (file://, permissions): the text is shown
      }
    });
    const caption = fig.querySelector("figcaption");
    if (caption) caption.before(bar); else fig.append(bar);
  }

  function restore() {
    const q = new URLSearchParams(window.location.search);
    const view = q.get("view");
    const fig = view && schema.views[view] ? document.getElementById(view) : null;
    if (!fig) return;
    const given = {};
    for (const key of q.keys()) if (key !== "view" && key !== "v") given[key] = q.get(key);
    const values = migrate(view, Number(q.get("v") || 1), given);
    if (!values) return;
    const apply = () => {
      for (const [key, param] of Object.entries(schema.views[view]))
        if (key in values) setValue(controls(fig, param), values[key]);
    };
    apply(); // the static controls first: the chart loader carries them over
    const chart = fig.querySelector(".chart-deferred");
    const ready = chart && window.bookCharts ? window.bookCharts.enhance(chart) : Promise.resolve();
    ready.then(() => {
      apply();
      fig.dataset.viewRestored = "true";
      history.replaceState(null, "", link(fig));
    });
    fig.scrollIntoView();
  }

  function start() {
    for (const id of Object.keys(schema.views)) {
      const fig = document.getElementById(id);
      if (!fig) continue;
      toolbar(fig);
      const write = () => setTimeout(() => history.replaceState(null, "", link(fig)), 0);
      fig.addEventListener("input", write);
      fig.addEventListener("change", write);
    }
    restore();
  }

  window.bookExplorableLinks = { migrate, link, words };
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
