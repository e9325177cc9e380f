/* Fit every Altair chart to its column, and draw it in the page's light or dark mode.

   Loaded by _ext/altair_offline.py right after the vega bundle, on chart pages only.  It
   wraps window.vegaEmbed, which altair's inline scripts call, so that each chart:

   * is laid out for the width its column has: on a narrow screen, side-by-side panels and
     column facets wrap into rows, legends move below and wrap, titles wrap, and every
     view's width shrinks until the drawn chart fits (measured, not guessed); as a last
     resort the drawing is scaled down, so a chart is never clipped;
   * follows pydata-sphinx-theme's mode (data-theme on <html>, which follows
     prefers-color-scheme in "auto" mode): in dark mode greys and non-palette colours are
     mapped to the same contrast against the dark page, and the Okabe-Ito colours are kept
     (their black becomes near-white; white text, drawn on coloured marks, stays white);
   * is drawn again when the column width or the mode changes, keeping slider positions.

   Each chart element gets data-chart-mode and data-chart-width once it is drawn for the
   current mode and width (the browser tests wait for them). */
(function () {
  "use strict";
  const embed = window.vegaEmbed;
  if (typeof embed !== "function") return;

  const OKABE_ITO = ["#0072b2", "#d55e00", "#009e73", "#cc79a7", "#e69f00", "#56b4e9", "#f0e442"];
  const MIN_PANEL = 200; // narrowest plot a panel keeps before panels wrap into rows
  const charts = [];
  let ready = document.readyState !== "loading";

  /* ---------- mode and colours ---------- */

  function isDark() {
    const theme = document.documentElement.dataset.theme;
    if (theme === "dark" || theme === "light") return theme === "dark";
    return window.matchMedia("(prefers-color-scheme: dark)").matches;
  }

  function parseColor(text) {
    const named = { white: "#ffffff", black: "#000000" };
    const s = (named[String(text).toLowerCase()] || String(text)).trim();
    let m = /^#([0-9a-f]{3})$/i.exec(s);
    if (m) return m[1].split("").map((c) => parseInt(c + c, 16));
    m = /^#([0-9a-f]{6})$/i.exec(s);
    if (m) return [0, 2, 4].map((i) => parseInt(m[1].slice(i, i + 2), 16));
    m = /^rgba?\((\d+),\s*(\d+),\s*(\d+)/i.exec(s);
    return m ? [+m[1], +m[2], +m[3]] : null;
  }

  function luminance(rgb) {
    const lin = rgb.map((v) => {
      const c = v / 255;
      return c <= 0.03928 ? c / 12.92 : Math.pow((c + 0.055) / 1.055, 2.4);
    });
    return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2];
  }

  function hex(rgb) {
    return "#" + rgb.map((v) => Math.round(Math.max(0, Math.min(255, v))).toString(16).padStart(2, "0")).join("");
  }

  function toHsl([r, g, b]) {
    (r /= 255), (g /= 255), (b /= 255);
    const max = Math.max(r, g, b), min = Math.min(r, g, b), l = (max + min) / 2;
    if (max === min) return [0, 0, l];
    const d = max - min, s = l > 0.5 ? d / (2 - max - min) : d / (max + min);
    const h = max === r ? (g - b) / d + (g < b ? 6 : 0) : max === g ? (b - r) / d + 2 : (r - g) / d + 4;
    return [h / 6, s, l];
  }

  function fromHsl([h, s, l]) {
    if (s === 0) return [l * 255, l * 255, l * 255];
    const q = l < 0.5 ? l * (1 + s) : l + s - l * s, p = 2 * l - q;
    const f = (t) => {
      t = (t + 1) % 1;
      if (t < 1 / 6) return p + (q - p) * 6 * t;
      if (t < 1 / 2) return q;
      if (t < 2 / 3) return p + (q - p) * (2 / 3 - t) * 6;
      return p;
    };
    return [f(h + 1 / 3) * 255, f(h) * 255, f(h - 1 / 3) * 255];
  }

  /* A colour drawn on white, redrawn on the dark background with the same contrast ratio
     (same hue and saturation; only the lightness moves).  Okabe-Ito hues are kept. */
  function darkColor(text, bgLum) {
    const rgb = parseColor(text);
    if (!rgb) return text;
    const code = hex(rgb);
    if (OKABE_ITO.includes(code)) return code;
    const contrast = 1.05 / (luminance(rgb) + 0.05);
    const target = Math.min(1, contrast * (bgLum + 0.05) - 0.05);
    const [h, s] = toHsl(rgb);
    let lo = 0, hi = 1;
    for (let i = 0; i < 24; i++) {
      const mid = (lo + hi) / 2;
      if (luminance(fromHsl([h, s, mid])) < target) lo = mid;
      else hi = mid;
    }
    return hex(fromHsl([h, s, (lo + hi) / 2]));
  }

  const COLOR_KEY = /(color|fill|stroke|background)$/i;

  /* Map every colour in a spec: hex strings anywhere (data may carry colours drawn with
     scale: null), named colours and range arrays only outside the data. */
  function mapColors(node, fn, key, inData) {
    if (Array.isArray(node)) return node.map((v) => mapColors(v, fn, key, inData));
    if (node && typeof node === "object") {
      const out = {};
      // White text is drawn on a coloured mark (a label inside an area or a bar): it stays white.
      const onMark = node.type === "text";
      for (const [k, v] of Object.entries(node)) {
        const data = inData || k === "datasets" || k === "values";
        const white = typeof v === "string" && /^(white|#fff|#ffffff)$/i.test(v);
        out[k] = onMark && white && (k === "color" || k === "fill") ? v : mapColors(v, fn, k, data);
      }
      return out;
    }
    if (typeof node !== "string") return node;
    if (/^#[0-9a-f]{3}([0-9a-f]{3})?$/i.test(node)) return fn(node);
    if (!inData && /^(white|black)$/i.test(node) && (COLOR_KEY.test(key || "") || key === "range" || /^\d+$/.test(key)))
      return fn(node);
    return node;
  }

  function cssVar(name, fallback) {
    const v = getComputedStyle(document.documentElement).getPropertyValue(name).trim();
    return v || fallback;
  }

  function styled(spec, dark) {
    const bg = cssVar("--pst-color-background", dark ? "#14181e" : "#ffffff");
    let out = spec;
    const config = Object.assign({}, spec.config || {});
    if (dark) {
      const bgLum = luminance(parseColor(bg) || [20, 24, 30]);
      out = mapColors(spec, (c) => darkColor(c, bgLum));
      Object.assign(config, out.config || {});
      const ink = darkColor("#222222", bgLum), muted = darkColor("#555555", bgLum);
      const rule = darkColor("#888888", bgLum), grid = darkColor("#e6e6e6", bgLum);
      const defaults = {
        axis: { labelColor: muted, titleColor: ink, gridColor: grid, domainColor: rule, tickColor: rule },
        legend: { labelColor: ink, titleColor: ink },
        header: { labelColor: ink, titleColor: ink },
        title: { color: ink, subtitleColor: muted },
        text: { color: ink },
        rule: { color: rule },
        view: { stroke: null },
      };
      for (const [k, v] of Object.entries(defaults)) config[k] = Object.assign({}, v, config[k] || {});
      // The palette's black is for annotations: on a dark page it is drawn near-white.
      const range = Object.assign({}, config.range || {});
      if (Array.isArray(range.category)) range.category = range.category.map((c) => (/^#0{6}$/.test(c) ? ink : c));
      config.range = range;
    }
    out = Object.assign({}, out, { config: Object.assign(config, { background: bg }) });
    delete out.background; // the page's background: a chart is never a white panel on a dark page
    return out;
  }

  /* ---------- width ---------- */

  const measureCtx = document.createElement("canvas").getContext("2d");
  function textWidth(text, size, weight) {
    measureCtx.font = `${weight || 400} ${size}px system-ui, -apple-system, "Segoe UI", Roboto, Arial, sans-serif`;
    return measureCtx.measureText(String(text)).width;
  }

  /* Lines of `text` (a string or lines) no wider than `width`; a line that starts with
     "Source" starts a new paragraph (a chart with several sources lists one per line). */
  function wrapText(text, width, size, weight) {
    const paragraphs = [];
    for (const line of [].concat(text).map(String)) {
      if (!paragraphs.length || /^Source/.test(line)) paragraphs.push(line);
      else paragraphs[paragraphs.length - 1] += " " + line;
    }
    const lines = paragraphs.flatMap((p) => [].concat(wrapWords(p, width, size, weight)));
    return lines.length > 1 ? lines : lines[0] || "";
  }

  function wrapWords(text, width, size, weight) {
    const words = text.split(/\s+/).filter(Boolean);
    const lines = [];
    let line = "";
    for (const word of words) {
      const next = line ? line + " " + word : word;
      if (line && textWidth(next, size, weight) > width) {
        lines.push(line);
        line = word;
      } else line = next;
    }
    if (line) lines.push(line);
    return lines.length > 1 ? lines : lines[0] || "";
  }

  function wrapTitle(title, width, config) {
    if (!title) return title;
    const t = typeof title === "object" && !Array.isArray(title) ? Object.assign({}, title) : { text: title };
    const tc = (config && config.title) || {};
    t.text = wrapText(t.text, width, t.fontSize || tc.fontSize || 13, t.fontWeight || tc.fontWeight || 600);
    if (t.subtitle) t.subtitle = wrapText(t.subtitle, width, t.subtitleFontSize || tc.subtitleFontSize || 12, 400);
    return t;
  }

  const facetted = (n) => !!(n.encoding && (n.encoding.column || n.encoding.row || n.encoding.facet));
  const isView = (n) => n && typeof n === "object" && ("mark" in n || "layer" in n);

  /* Every inline table of a spec: altair's top-level datasets and any data.values. */
  function tables(spec) {
    if (spec.__tables) return spec.__tables;
    const found = Object.values(spec.datasets || {});
    (function walk(node) {
      if (Array.isArray(node)) return node.forEach(walk);
      if (!node || typeof node !== "object") return;
      for (const [k, v] of Object.entries(node)) {
        if (k === "datasets") continue;
        if (k === "data" && v && Array.isArray(v.values)) found.push(v.values);
        else walk(v);
      }
    })(spec);
    Object.defineProperty(spec, "__tables", { value: found, enumerable: false });
    return found;
  }

  function values(spec, field) {
    const seen = new Set();
    for (const rows of tables(spec)) for (const row of rows) if (row && typeof row === "object" && field in row) seen.add(row[field]);
    return seen;
  }

  function distinct(spec, field) {
    return values(spec, field).size;
  }

  function fieldOf(def) {
    return def && typeof def === "object" ? String(def.field || "").split(":")[0] : "";
  }

  /* Horizontal space between panels (a number, or {row, column}; Vega-Lite's default 20). */
  function spacingOf(node) {
    const sp = node.spacing;
    if (typeof sp === "number") return sp;
    return sp && typeof sp.column === "number" ? sp.column : 20;
  }

  /* Plot width along the widest row of a (sub)spec at the spec's own widths, and how many
     panels (each with its own axis) that row holds. */
  function row(node, root, base) {
    if (!node || typeof node !== "object") return { plot: 0, panels: 0 };
    const gap = (n) => spacingOf(node) * Math.max(0, n - 1);
    if (node.hconcat) {
      const parts = node.hconcat.map((c) => row(c, root, base));
      return { plot: parts.reduce((a, p) => a + p.plot, 0) + gap(parts.length), panels: parts.reduce((a, p) => a + p.panels, 0) };
    }
    const list = node.vconcat || node.concat;
    if (list) {
      const parts = list.map((c) => row(c, root, base));
      const cols = node.concat ? Math.min(node.columns || parts.length, parts.length) : 1;
      const widest = parts.reduce((a, p) => (p.plot > a.plot ? p : a), { plot: 0, panels: 0 });
      return { plot: widest.plot * cols + gap(cols), panels: widest.panels * cols };
    }
    if (node.facet && node.spec) {
      const inner = row(node.spec, root, base);
      const f = node.facet.column || (node.facet.field ? node.facet : null);
      let n = f ? distinct(root, fieldOf(f)) || 1 : 1;
      if (node.columns) n = Math.min(n, node.columns);
      return { plot: inner.plot * n + gap(n), panels: n };
    }
    let w = typeof node.width === "number" ? node.width : null;
    if (w == null && node.layer) w = Math.max(0, ...node.layer.map((c) => row(c, root, base).plot));
    if (!w) w = base;
    const enc = node.encoding || {};
    let n = 1;
    if (enc.column) n = distinct(root, fieldOf(enc.column)) || 1;
    else if (enc.facet) n = Math.min(distinct(root, fieldOf(enc.facet)) || 1, node.columns || Infinity);
    return { plot: w * n + gap(n), panels: n };
  }

  /* Re-lay side-by-side panels and column facets into rows that fit `avail` px. */
  function rewrap(node, avail, root, base) {
    if (Array.isArray(node)) return node.map((c) => rewrap(c, avail, root, base));
    if (!node || typeof node !== "object") return node;
    const out = {};
    for (const [k, v] of Object.entries(node))
      out[k] = k === "datasets" || k === "data" || k === "encoding" ? v : rewrap(v, avail, root, base);
    const columnsFor = (panel, spacing) =>
      Math.max(1, Math.floor((avail + spacing) / (Math.max(panel, MIN_PANEL) + 60 + spacing)));
    if (out.hconcat && out.hconcat.length > 1) {
      const r = row(node, root, base);
      if (r.plot + 60 * r.panels > avail) {
        const widest = Math.max(...node.hconcat.map((c) => row(c, root, base).plot / Math.max(1, row(c, root, base).panels)));
        const cols = columnsFor(widest, spacingOf(out));
        if (cols < out.hconcat.length) {
          out.concat = out.hconcat;
          out.columns = cols;
          delete out.hconcat;
        }
      }
    }
    if (out.facet && out.facet.column && !out.facet.row && out.spec) {
      const inner = row(node.spec, root, base).plot;
      const n = distinct(root, fieldOf(out.facet.column)) || 1;
      const cols = columnsFor(inner, spacingOf(out));
      if (cols < n) {
        out.facet = out.facet.column;
        out.columns = cols;
      }
    }
    if (out.facet && out.spec && !out.facet.column && !out.facet.row && out.columns) {
      const inner = row(node.spec, root, base).plot;
      out.columns = Math.min(out.columns, columnsFor(inner, spacingOf(out)));
    }
    const enc = out.encoding;
    if (enc && enc.column && !enc.row && isView(out)) {
      const n = distinct(root, fieldOf(enc.column)) || 1;
      const cols = columnsFor(typeof out.width === "number" ? out.width : base, 20);
      if (cols < n) {
        out.encoding = Object.assign({}, enc, { facet: enc.column });
        delete out.encoding.column;
        out.columns = cols;
      }
    }
    return out;
  }

  /* Multiply every view width (and fixed bar widths, and the widths of square views'
     heights) by `s`; on a narrow screen legends go below and wrap into `columns`; titles
     wrap to the width they have. */
  function shrink(node, s, avail, root, narrow, columns, size) {
    if (Array.isArray(node)) return node.map((c) => shrink(c, s, avail, root, narrow, columns, size));
    if (!node || typeof node !== "object") return node;
    // The size of the view a layer's children draw in (for wrapping their axis titles).
    if (isView(node) && (typeof node.width === "number" || typeof node.height === "number"))
      size = {
        w: typeof node.width === "number" ? Math.max(40, Math.round(node.width * s)) : size && size.w,
        h: typeof node.height === "number" ? node.height : size && size.h,
      };
    const out = {};
    for (const [k, v] of Object.entries(node))
      out[k] = k === "datasets" || k === "data" ? v : shrink(v, s, avail, root, narrow, columns, size);
    if (typeof node.width === "number" && isView(node)) {
      out.width = Math.max(40, Math.round(node.width * s));
      if (typeof node.height === "number" && node.height === node.width) out.height = out.width;
    } else if (node.width && typeof node.width === "object" && typeof node.width.step === "number") {
      out.width = { step: Math.max(2, node.width.step * s) };
    }
    if (out.mark && typeof out.mark === "object" && typeof out.mark.width === "number")
      out.mark = Object.assign({}, out.mark, { width: Math.max(1, out.mark.width * s) });
    // On a narrow screen, text (readouts, annotations) breaks after a comma or semicolon
    // rather than running past the plot; the punctuation is kept.
    if (narrow && isView(node) && out.mark) {
      const mark = typeof out.mark === "string" ? { type: out.mark } : out.mark;
      if (mark.type === "text" && (mark.lineBreak == null || mark.lineBreak === "\n"))
        out.mark = Object.assign({}, mark, { lineBreak: { expr: "regexp('\\n|(?<=[;,]) +')" } });
    }
    if (narrow && out.legend && typeof out.legend === "object" && !Array.isArray(out.legend)) {
      const legend = Object.assign({}, out.legend);
      if (legend.orient === "right" || legend.orient === "left") {
        legend.orient = "bottom";
        delete legend.direction;
      }
      legend.labelLimit = Math.min(legend.labelLimit || Infinity, avail - LEGEND_INSET);
      const labels = wrappedLabels(root, node, legend.labelLimit, legend.labelFontSize || 12);
      if (labels && !legend.labelExpr) legend.labelExpr = labels;
      if (legend.columns > columns || legend.direction === "horizontal") legend.columns = columns;
      out.legend = legend;
    }
    if (isView(node) && out.encoding && s < 1) {
      // Marks placed at a fixed pixel x (labels beside the plot) move with the plot's edge.
      const enc = Object.assign({}, out.encoding);
      for (const channel of ["x", "x2"])
        if (enc[channel] && typeof enc[channel].value === "number")
          enc[channel] = Object.assign({}, enc[channel], { value: enc[channel].value * s });
      out.encoding = enc;
    }
    if (narrow && isView(node) && out.encoding) {
      // Legends the spec leaves to the defaults wrap their long labels too.
      const enc = Object.assign({}, out.encoding);
      for (const channel of LEGEND_CHANNELS) {
        const def = enc[channel];
        if (!def || typeof def !== "object" || !def.field || def.legend !== undefined) continue;
        if (/^(quantitative|temporal)$/.test(def.type || "")) continue;
        const labels = wrappedLabels(root, def, avail - LEGEND_INSET, 12);
        if (labels) enc[channel] = Object.assign({}, def, { legend: { labelExpr: labels } });
      }
      out.encoding = enc;
      // Long category labels on a y axis wrap onto lines instead of squeezing the plot.
      const def = out.encoding.y;
      if (def && typeof def === "object" && def.field && /^(nominal|ordinal|N|O)$/.test(def.type || "") && def.axis !== null) {
        const axis = Object.assign({}, def.axis || {});
        const limit = Math.max(90, Math.round(avail * 0.36));
        const size = axis.labelFontSize || ((root.config || {}).axis || {}).labelFontSize || 11;
        const labels = axis.labelExpr ? null : wrappedLabels(root, def, limit, size);
        if (labels) {
          axis.labelExpr = labels;
          axis.labelLimit = limit + 10;
          out.encoding = Object.assign({}, out.encoding, { y: Object.assign({}, def, { axis }) });
        }
      }
    }
    if (isView(node) && out.encoding && size) {
      // Axis titles longer than their axis wrap onto several lines.
      const enc = Object.assign({}, out.encoding);
      for (const [channel, length] of [["x", size.w], ["y", size.h]]) {
        const def = enc[channel];
        if (!def || typeof def !== "object" || typeof length !== "number") continue;
        const size = ((root.config || {}).axis || {}).titleFontSize || 11;
        const axis = def.axis && typeof def.axis === "object" ? def.axis : null;
        const title = axis && axis.title != null ? axis.title : def.title;
        if (typeof title !== "string" || textWidth(title, size, 600) <= length) continue;
        const lines = wrapText(title, Math.max(60, length), size, 600);
        enc[channel] = axis && axis.title != null
          ? Object.assign({}, def, { axis: Object.assign({}, axis, { title: lines }) })
          : Object.assign({}, def, { title: lines });
      }
      out.encoding = enc;
    }
    if (out.title && (isView(node) || node.hconcat || node.vconcat || node.concat || node.facet)) {
      const own = typeof out.width === "number" ? out.width + 40 : avail;
      out.title = wrapTitle(out.title, Math.min(node === root ? avail : own, avail) - 16, root.config);
    }
    return out;
  }

  // A legend below the plot starts at the plot's left edge, right of the y axis: its
  // labels get the column less the axis (~50 px), the symbol (~25 px) and the padding.
  const LEGEND_INSET = 100;
  const LEGEND_CHANNELS = ["color", "fill", "stroke", "shape", "strokeDash", "opacity", "size"];

  /* Width of the longest legend label, from the scale's domain or the inline data; null
     when a legend's labels cannot be known before drawing. */
  function longestLabel(spec, size) {
    let longest = 0, known = true;
    (function walk(node) {
      if (Array.isArray(node)) return node.forEach(walk);
      if (!node || typeof node !== "object") return;
      for (const [k, v] of Object.entries(node)) {
        if (k === "datasets" || k === "data") continue;
        if (LEGEND_CHANNELS.includes(k) && v && typeof v === "object" && v.field && v.legend !== null) {
          const type = v.type || String(v.field).split(":")[1] || "";
          if (/^(quantitative|temporal|Q|T)$/.test(type)) continue; // gradient or numeric labels
          let domain = v.scale && Array.isArray(v.scale.domain) ? v.scale.domain : null;
          if (v.legend && v.legend.labelExpr) domain = null; // labels rewritten: unknown
          else if (!domain) {
            const seen = values(spec, fieldOf(v));
            domain = seen.size ? [...seen] : null;
          }
          if (!domain) known = false;
          else for (const x of domain) longest = Math.max(longest, textWidth(String(x), size, 400));
        } else walk(v);
      }
    })(spec);
    return known ? longest : null;
  }

  /* A legend label longer than `limit` px is drawn on several lines (Vega truncates it
     otherwise): a labelExpr that looks the label up in a table of wrapped lines. */
  function wrappedLabels(root, def, limit, size) {
    const domain = def.scale && Array.isArray(def.scale.domain) ? def.scale.domain : [...values(root, fieldOf(def))];
    const table = {};
    for (const label of domain) {
      if (typeof label !== "string" || textWidth(label, size, 400) <= limit) continue;
      const lines = wrapText(label, limit, size, 400);
      if (Array.isArray(lines)) table[label] = lines;
    }
    if (!Object.keys(table).length) return null;
    return `(${JSON.stringify(table)})[datum.label] || datum.label`;
  }

  function legendColumns(spec, avail) {
    const size = ((spec.config || {}).legend || {}).labelFontSize || 12;
    const longest = longestLabel(spec, size);
    const entry = (longest == null ? (avail < 480 ? avail : avail / 2) : Math.min(longest, avail - LEGEND_INSET)) + 36;
    return Math.max(1, Math.floor((avail - LEGEND_INSET + 36) / entry));
  }

  function narrowLegends(config, avail, columns) {
    const legend = Object.assign({}, config.legend || {});
    if (legend.orient === "right" || legend.orient === "left") legend.orient = "bottom";
    legend.labelLimit = Math.min(legend.labelLimit || Infinity, avail - LEGEND_INSET);
    // A row of entries that does not fit wraps into as many columns as the longest label allows.
    legend.columns = columns;
    // Several legends below a chart stack one above the other instead of forming a row.
    legend.layout = Object.assign({}, legend.layout, { bottom: { anchor: "start", direction: "vertical", margin: 6 } });
    return Object.assign({}, config, { legend });
  }

  function laidOut(spec, avail, s, wasNarrow) {
    const base = ((spec.config || {}).view || {}).continuousWidth || 300;
    const natural = row(spec, spec, base);
    const narrow = wasNarrow || natural.plot + 60 * natural.panels > avail;
    let out = narrow ? rewrap(spec, avail, spec, base) : spec;
    if (s == null) {
      const r = row(out, out, base);
      s = Math.min(1, (avail - 16 - 60 * r.panels) / Math.max(1, r.plot));
    }
    const columns = narrow ? legendColumns(spec, avail) : 0;
    out = shrink(out, s, avail, out, narrow, columns, null);
    if (narrow) out.config = narrowLegends(out.config || {}, avail, columns);
    // Views inside a concat or facet that take the default width shrink with the rest; a
    // single view without a width is given its drawn width after the first pass (draw()).
    if (s < 1 && out.config && out.config.view && (!isView(spec) || facetted(spec))) {
      const view = Object.assign({}, out.config.view);
      if (typeof view.continuousWidth === "number") view.continuousWidth = Math.round(view.continuousWidth * s);
      out.config = Object.assign({}, out.config, { view });
    }
    return { spec: out, s, narrow, plot: row(out, out, base).plot / Math.max(s, 1e-6) };
  }

  /* ---------- drawing ---------- */

  function columnWidth(el) {
    const article = el.closest("article") || document.body;
    const st = getComputedStyle(article);
    const right = article.getBoundingClientRect().right - parseFloat(st.paddingRight || 0);
    const left = el.getBoundingClientRect().left;
    const own = el.getBoundingClientRect().width || Infinity; // its box's content width
    return Math.floor(Math.min(own, right - left));
  }

  function drawn(el) {
    return el.querySelector("svg.marks, canvas.marks");
  }

  function paramValues(result) {
    const values = {};
    if (!result || !result.view) return values;
    for (const p of (result.spec && result.spec.params) || []) {
      if (p.bind && !p.select) {
        try {
          values[p.name] = result.view.signal(p.name);
        } catch (e) {
          /* not a signal of this view */
        }
      }
    }
    return values;
  }

  function withParams(spec, values) {
    if (!spec.params || !Object.keys(values).length) return spec;
    const params = spec.params.map((p) => (p.name in values ? Object.assign({}, p, { value: values[p.name] }) : p));
    return Object.assign({}, spec, { params });
  }

  async function draw(chart) {
    const el = chart.el;
    const dark = isDark();
    const avail = columnWidth(el);
    const values = paramValues(chart.result);
    const colored = withParams(styled(chart.spec, dark), values);
    let plan = laidOut(colored, avail, null);
    let sized = colored;
    let previous = null;
    for (let pass = 0; pass < 5; pass++) {
      if (chart.result) chart.result.finalize();
      el.innerHTML = "";
      el.style.removeProperty("--chart-scale");
      el.classList.remove("chart-scaled");
      chart.result = await embed(el, plan.spec, chart.opt);
      const mark = drawn(el);
      const width = mark ? mark.getBoundingClientRect().width : 0;
      if (window.ALTAIR_FIT_DEBUG) console.log("altair-fit", el.id, { pass, avail, s: plan.s, plot: plan.plot, width });
      if (width <= avail + 0.5 || pass === 4 || plan.final) break;
      // No progress: what is too wide does not shrink (a legend, an annotation); go back to
      // the previous layout and let the CSS scale it down.
      if (previous && width >= previous.width - 1) {
        plan = Object.assign({}, previous.plan, { final: true });
        continue;
      }
      previous = { plan, width };
      // A single view sized by its data (a discrete x axis: a step per category) gets its
      // drawn plot width as an explicit width, which can then shrink.
      if (pass === 0 && isView(sized) && typeof sized.width !== "number" && !facetted(sized)) {
        sized = Object.assign({}, sized, { width: chart.result.view.width() });
        const fixed = width - sized.width;
        plan = laidOut(sized, avail, Math.min(1, ((avail - fixed) / sized.width) * 0.98), plan.narrow);
        continue;
      }
      // drawn width = fixed part (axes, legends, padding) + s * plot width: solve for s.
      const fixed = width - plan.s * plan.plot;
      let s = ((avail - fixed) / plan.plot) * 0.98;
      // If the estimate of the plot's share is off, fall back to shrinking in proportion.
      if (!(s > 0.15) || s >= plan.s) s = plan.s * (avail / width) * 0.95;
      if (!(s > 0.15)) break;
      plan = laidOut(sized, avail, s, plan.narrow);
    }
    const mark = drawn(el);
    if (mark && mark.getBoundingClientRect().width > avail + 0.5) el.classList.add("chart-scaled");
    el.dataset.chartWidth = String(avail);
    el.dataset.chartMode = dark ? "dark" : "light";
    chart.avail = avail;
    chart.dark = dark;
    return chart.result;
  }

  function queue(chart) {
    chart.pending = (chart.pending || Promise.resolve()).then(() => draw(chart)).catch((err) => {
      console.error(err);
      throw err;
    });
    return chart.pending;
  }

  function redrawIfChanged() {
    for (const chart of charts)
      if (chart.avail != null && (chart.dark !== isDark() || Math.abs(columnWidth(chart.el) - chart.avail) > 4)) queue(chart);
  }

  window.vegaEmbed = function (el, spec, opt) {
    const element = typeof el === "string" ? document.querySelector(el) : el;
    if (typeof spec !== "object" || (opt && opt.mode && opt.mode !== "vega-lite")) return embed(el, spec, opt);
    const chart = { el: element, spec, opt: Object.assign({ renderer: "svg" }, opt) };
    charts.push(chart);
    // Lay out once the page (and the theme's mode) is settled.
    if (ready) return queue(chart);
    return new Promise((resolve, reject) => chart.waiting = [resolve, reject]);
  };
  Object.assign(window.vegaEmbed, embed);

  // Loaded on demand (chart_loader.js), this script may arrive after DOMContentLoaded.
  function settle() {
    ready = true;
    for (const chart of charts) {
      if (!chart.waiting) continue;
      const [resolve, reject] = chart.waiting;
      delete chart.waiting;
      queue(chart).then(resolve, reject);
    }
    new MutationObserver(redrawIfChanged).observe(document.documentElement, { attributes: true, attributeFilter: ["data-theme"] });
    window.matchMedia("(prefers-color-scheme: dark)").addEventListener("change", redrawIfChanged);
    let timer = null;
    window.addEventListener("resize", () => {
      clearTimeout(timer);
      timer = setTimeout(redrawIfChanged, 150);
    });
  }
  if (ready) settle();
  else document.addEventListener("DOMContentLoaded", settle);
})();
