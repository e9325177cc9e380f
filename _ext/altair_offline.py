"""Sphinx extension: Altair charts that draw with no network, and two page-script fixes.

Why this exists
---------------
Altair's default ("html") renderer writes into each chart output an inline
script that loads vega, vega-lite and vega-embed from a CDN, unless
``window.VEGA_DEBUG`` already records the version each load asks for; then it
calls the global ``vegaEmbed``.  The book must work offline, so on every page
whose body holds an Altair chart this extension adds, in ``<head>``:

1. one self-contained bundle of the three libraries, served from ``_static``
   (``vl_convert.javascript_bundle``, wrapped in a function so its short
   top-level names stay private), and
2. a one-line script that seeds ``VEGA_DEBUG`` with exactly the versions that
   page's chart scripts ask for, and
3. ``altair_fit.js`` (beside this module), which wraps ``vegaEmbed`` so every chart
   is laid out for its column's width (360 px phones included) and drawn in the
   page's light or dark mode, and drawn again when either changes.

When every chart on a page is a static picture first (``static_charts.py``), 1. and 3.
are not in ``<head>``: ``chart_loader.js`` fetches them when a reader reaches for a
chart, so a first visit costs no Vega.

Pages without charts load neither.  If altair ever changes its loader so the
versions cannot be read, the build warns (and ``-W`` fails it) instead of
silently shipping pages that reach for a CDN.

It also removes duplicate inline scripts: Sphinx 7.4 registers sphinx-thebe's
``const THEBE_JS_URL`` twice, a SyntaxError logged on every page.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
from pathlib import Path

from sphinx.util import logging

__version__ = "1.0"
logger = logging.getLogger(__name__)

STATIC_SUBDIR = "altair-offline"
FIT_SCRIPT = Path(__file__).with_name("altair_fit.js")
LOADER_SCRIPT = Path(__file__).with_name("chart_loader.js")
#: altair's chart script, left to run on load (a chart without a static picture)
_EAGER = re.compile(r'<script type="text/javascript">\s*var VEGA_DEBUG')
#: altair's loader: maybeLoadScript("vega-lite", "6.4.1")
_LOADS = re.compile(r'maybeLoadScript\("(vega|vega-lite|vega-embed)", "([^"]+)"\)')
#: a deferred chart script moved to a file of its own (static_charts.external_script)
_EXTERNAL = re.compile(
    r'<script type="application/vnd\.book-chart\+javascript"[^>]* data-src="([^"]+)"'
)
#: altair's output <div id="altair-viz-..."> (one per chart)
_CHART = re.compile(r'id="altair-viz-[0-9a-f]+"')


def _bundle_versions() -> tuple[str, str | None]:
    """vl-convert's version, and the vega-lite version to bundle (altair's if available)."""
    import altair as alt
    import vl_convert as vlc

    wanted = ".".join(alt.SCHEMA_VERSION.lstrip("v").split(".")[:2])
    return vlc.__version__, wanted if wanted in vlc.get_vegalite_versions() else None


def _write_bundle(app) -> None:
    import vl_convert as vlc

    vlc_version, vl_version = _bundle_versions()
    tag = hashlib.sha256(f"{vlc_version}|{vl_version}".encode()).hexdigest()[:12]
    # Outside _build/html so `jupyter-book clean` keeps it, and outside the
    # source tree so jupyter-book does not auto-add it to every page.
    static_dir = Path(app.outdir).parent / ".altair_offline_static"
    target = static_dir / STATIC_SUBDIR / f"vega-bundle-{tag}.js"
    if not target.exists():
        target.parent.mkdir(parents=True, exist_ok=True)
        for old in target.parent.glob("vega-bundle-*.js"):
            old.unlink()
        header = (
            f"/* vega {vlc.get_vega_version()}, vega-lite {vl_version or 'latest'}, "
            f"vega-embed {vlc.get_vega_embed_version()}; bundled by vl-convert-python "
            f"{vlc_version}. Licences: BSD-3-Clause (vega, vega-lite, vega-embed). */"
        )
        body = vlc.javascript_bundle(vl_version=vl_version)
        target.write_text(f"{header}\n(function(){{\n{body}\n}})();\n", encoding="utf-8")
    # The fit script is versioned by its content, so a reader's cache never mixes versions.
    fit = FIT_SCRIPT.read_bytes()
    fit_name = f"altair-fit-{_tag(FIT_SCRIPT)}.js"
    for old in target.parent.glob("altair-fit-*.js"):
        if old.name != fit_name:
            old.unlink()
    (target.parent / fit_name).write_bytes(fit)
    loader_name = f"chart-loader-{_tag(LOADER_SCRIPT)}.js"
    for old in target.parent.glob("chart-loader-*.js"):
        if old.name != loader_name:
            old.unlink()
    (target.parent / loader_name).write_bytes(LOADER_SCRIPT.read_bytes())
    app.config.html_static_path.append(str(static_dir))
    app.altair_offline_bundle = f"{STATIC_SUBDIR}/{target.name}"
    app.altair_offline_fit = f"{STATIC_SUBDIR}/{fit_name}"
    app.altair_offline_loader = f"{STATIC_SUBDIR}/{loader_name}"


def _builder_inited(app) -> None:
    if app.builder.format == "html":
        _write_bundle(app)


def _dedupe_scripts(context) -> None:
    files = context.get("script_files")
    if not isinstance(files, list):
        return
    seen, keep = set(), []
    for js in files:
        key = (
            str(getattr(js, "filename", js) or ""),
            tuple(sorted((getattr(js, "attributes", {}) or {}).items())),
        )
        if key not in seen:
            seen.add(key)
            keep.append(js)
    files[:] = keep


def _page_context(app, pagename, templatename, context, doctree) -> None:
    _dedupe_scripts(context)
    bundle = getattr(app, "altair_offline_bundle", None)
    body = context.get("body") or ""
    if bundle is None or not _CHART.search(body):
        return
    loads = _LOADS.findall(body)
    for src in _EXTERNAL.findall(body):
        # a heavy chart's script is a file of its own (static_charts.external_script)
        # (normalised: the page's own folder is not written yet, so "book/data/.." cannot resolve)
        script = Path(os.path.normpath(Path(app.outdir) / pagename / ".." / src))
        loads += _LOADS.findall(script.read_text(encoding="utf-8"))
    versions = {lib.replace("-", "", 1) + "_version": ver for lib, ver in loads}
    if set(versions) != {"vega_version", "vegalite_version", "vegaembed_version"}:
        logger.warning(
            "altair_offline: %s has an Altair chart but its loader script no longer names "
            "the vega/vega-lite/vega-embed versions (altair changed its template?); "
            "the page would load them from a CDN",
            pagename,
            type="altair_offline",
        )
        return
    if len(set(loads)) > 3:  # one (library, version) pair each, or charts disagree
        logger.warning(
            "altair_offline: %s mixes charts from different altair versions: %s",
            pagename,
            sorted(set(loads)),
            type="altair_offline",
        )
    seed = json.dumps(versions, sort_keys=True)
    app.add_js_file(
        None,
        priority=150,
        body=f"window.VEGA_DEBUG = Object.assign(window.VEGA_DEBUG || {{}}, {seed});",
    )
    if _EAGER.search(body):
        # A chart without a static picture runs its script on load: Vega must be there first.
        app.add_js_file(bundle, priority=151)
        app.add_js_file(app.altair_offline_fit, priority=152)
        return
    # Every chart is a static picture first (_ext/static_charts.py): the loader fetches the
    # bundle and the fit script (named relative to the loader) when a chart is wanted.
    app.add_js_file(
        app.altair_offline_loader,
        priority=151,
        defer="defer",
        **{
            "data-bundle": Path(bundle).name,
            "data-fit": Path(app.altair_offline_fit).name,
        },
    )


def _tag(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()[:12]


def _fit_tag() -> str:
    """The scripts pages name by their hash (the fit script and the chart loader)."""
    return _tag(FIT_SCRIPT) + _tag(LOADER_SCRIPT)


def _outdated(app, env, added, changed, removed) -> list[str]:
    """Rewrite every page when altair_fit.js changes (pages name it by its hash); an
    incremental build would otherwise keep pages that load the previous version."""
    tag = _fit_tag()
    if getattr(env, "altair_fit_tag", None) == tag:
        return []
    env.altair_fit_tag = tag
    return sorted(env.found_docs - set(added) - set(changed))


def setup(app):
    app.connect("builder-inited", _builder_inited)
    app.connect("env-get-outdated", _outdated)
    app.connect("html-page-context", _page_context)
    return {"version": __version__, "parallel_read_safe": True, "parallel_write_safe": True}
