/* Static first, interactive on demand: the chart loader (see _ext/static_charts.py).

   Every chart on the page is already drawn as a static picture.  Altair's script for it
   is in the page but not run (its type is application/vnd.book-chart+javascript).  This
   script fetches the Vega bundle and altair_fit.js only when a chart becomes useful:

   * the pointer enters it, or it (or one of its controls) gets focus or input;
   * it comes near the viewport after the reader has scrolled (IntersectionObserver;
     a chart that is already in view on arrival stays static until touched, so a first
     visit costs no Vega; so does a chart whose column is narrower than its picture,
     since re-laid out for a phone it grows and would move the text being read);
   * window.bookCharts.enhance(el) / enhanceAll() is called (tests, tools).

   Then altair's script runs and the interactive chart replaces the picture in place: the
   chart keeps the picture's height until it is drawn (no layout shift), and a control
   the reader moved on the static controls is moved to the same value on the real one.
   A heavy chart's script is not in the page but in a file of its own (its tag has data-src
   and no text); it is fetched at the same moment.
   Each chart's data-chart-state goes static -> loading -> interactive. */
(function () {
  "use strict";
  const me = document.currentScript;
  const DEFERRED = 'script[type="application/vnd.book-chart+javascript"]';
  const libraries = [me.dataset.bundle, me.dataset.fit].map((name) => new URL(name, me.src).href);
  let loading = null;

  function loadScript(src) {
    return new Promise((resolve, reject) => {
      const s = document.createElement("script");
      s.src = src;
      s.onload = resolve;
      s.onerror = () => reject(new Error("chart loader: could not load " + src));
      document.head.appendChild(s);
    });
  }

  function loadLibraries() {
    if (!loading) loading = libraries.reduce((p, src) => p.then(() => loadScript(src)), Promise.resolve());
    return loading;
  }

  function drawnFor(el) {
    // altair_fit.js sets data-chart-mode once the chart is drawn for the page's mode.
    return new Promise((resolve) => {
      if (el.dataset.chartMode && el.querySelector("svg.marks, canvas.marks")) return resolve();
      const watch = new MutationObserver(() => {
        if (el.dataset.chartMode && el.querySelector("svg.marks, canvas.marks")) {
          watch.disconnect();
          resolve();
        }
      });
      watch.observe(el, { attributes: true, attributeFilter: ["data-chart-mode"] });
    });
  }

  function movedControls(el) {
    const moved = [];
    for (const c of el.querySelectorAll(".chart-placeholder-controls [data-param]")) {
      const value = c.type === "checkbox" ? c.checked : c.value;
      const initial = c.type === "checkbox" ? c.defaultChecked : c.tagName === "SELECT"
        ? [...c.options].find((o) => o.defaultSelected)?.value : c.defaultValue;
      if (value !== initial) moved.push([c.dataset.param, c.tagName, c.type, value, c.selectedIndex]);
    }
    return moved;
  }

  function restoreControls(el, moved) {
    for (const [name, tag, type, value, index] of moved) {
      const real = el.querySelector(`.vega-bindings [name="${CSS.escape(name)}"]:not([data-param])`);
      if (!real) continue;
      if (type === "checkbox") real.checked = value;
      else if (tag === "SELECT") real.selectedIndex = index;
      else real.value = value;
      real.dispatchEvent(new Event(tag === "SELECT" || type === "checkbox" ? "change" : "input", { bubbles: true }));
    }
  }

  function enhance(el) {
    if (el.bookChart) return el.bookChart;
    el.dataset.chartState = "loading";
    el.bookChart = (async () => {
      await loadLibraries();
      const script = document.querySelector(`${DEFERRED}[data-chart="${CSS.escape(el.id)}"]`);
      if (!script) throw new Error("chart loader: no script for " + el.id);
      const moved = movedControls(el);
      // Keep the picture's height while the chart is drawn: nothing below it moves.
      el.style.minHeight = el.getBoundingClientRect().height + "px";
      const run = document.createElement("script");
      const drawn = drawnFor(el);
      if (script.dataset.src) {
        // a heavy chart's script is a file of its own (static_charts.EXTERNAL_MIN_BYTES)
        await new Promise((resolve, reject) => {
          run.onload = resolve;
          run.onerror = () => reject(new Error("chart loader: could not load " + script.dataset.src));
          run.src = script.dataset.src;
          script.after(run);
        });
      } else {
        run.text = script.text;
        script.after(run);
      }
      await drawn;
      restoreControls(el, moved);
      el.dataset.chartState = "interactive";
    })().catch((err) => {
      console.error(err);
      throw err;
    });
    return el.bookChart;
  }

  function charts() {
    return [...document.querySelectorAll(".chart-deferred")];
  }

  function narrowed(el) {
    const pic = el.querySelector(".chart-static");
    const natural = pic ? Number(pic.getAttribute("width")) || pic.naturalWidth || 0 : 0;
    return natural > el.getBoundingClientRect().width + 1;
  }

  function start() {
    const all = charts();
    if (!all.length) return;
    // A static slider shows its value as it moves, as the real one will.
    for (const range of document.querySelectorAll(".chart-placeholder-controls input[type=range]"))
      range.addEventListener("input", () => {
        if (range.nextElementSibling) range.nextElementSibling.textContent = range.value;
      });
    for (const el of all) {
      const go = () => enhance(el);
      for (const type of ["pointerenter", "focusin", "input", "change", "touchstart"])
        el.addEventListener(type, go, { once: true, passive: true });
    }
    let observer = null;
    const onScroll = () => {
      if (observer || !("IntersectionObserver" in window)) return;
      observer = new IntersectionObserver((entries) => {
        for (const entry of entries) {
          if (!entry.isIntersecting) continue;
          observer.unobserve(entry.target);
          // In a column narrower than the picture, the interactive chart is re-laid out
          // (panels wrap) and grows: it waits for a touch rather than move the page
          // under a reader who is only scrolling.
          if (!narrowed(entry.target)) enhance(entry.target);
        }
      }, { rootMargin: "200px 0px" });
      for (const el of charts()) if (!el.bookChart) observer.observe(el);
    };
    window.addEventListener("scroll", onScroll, { once: true, passive: true });
    // A chart laid out for a width keeps the picture's height only until the width changes.
    window.addEventListener("resize", () => {
      for (const el of all) if (el.dataset.chartState === "interactive") el.style.removeProperty("min-height");
    });
  }

  window.bookCharts = {
    enhance,
    enhanceAll: () => Promise.all(charts().map(enhance)),
  };
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
