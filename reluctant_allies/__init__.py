"""reluctant_allies: the one package behind the *Reluctant Allies* companion book.

Chapters import from here and nothing else does real work in a notebook cell:

* :mod:`reluctant_allies.data`        -- ``load(name)``: validated tables from ``data/``
* :mod:`reluctant_allies.derive`      -- raw files in ``../shared/data/raw`` -> ``data/*.csv``
* :mod:`reluctant_allies.models`      -- static, dynamic and two-player toy models; fitting
* :mod:`reluctant_allies.charts`      -- the Altair theme and the chart builders chapters reuse
* :mod:`reluctant_allies.explorables` -- precomputed model grids as Altair charts with sliders
"""

from pathlib import Path

__version__ = "2.0.0"

#: Repository root (the folder holding ``_config.yml``, ``data/`` and ``book/``).
ROOT = Path(__file__).resolve().parent.parent
