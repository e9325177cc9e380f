"""Keep the committed chapter notebooks clean and honest.

Chapters are ``.ipynb`` files whose executed outputs are committed: Binder,
GitHub and nbval all read the same thing.  ``jupyter execute --inplace`` also
writes per-cell timestamps and the interpreter's patch version, which change on
every run and would make every re-execution a diff.  ``tidy`` removes exactly
those; ``problems`` lists what must never be committed (unexecuted or
out-of-order cells, error outputs, stderr, volatile metadata).

    python -m reluctant_allies.notebooks tidy book/*.ipynb
    python -m reluctant_allies.notebooks check book/*.ipynb
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

VOLATILE_CELL_KEYS = ("execution",)


def _load(path: Path) -> dict:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise FileNotFoundError(f"notebook not found: {path}") from None
    except json.JSONDecodeError as exc:
        raise ValueError(f"{path}: not valid notebook JSON ({exc})") from None


def _dump(nb: dict) -> str:
    # nbformat's own layout (indent 1, key order kept) so Jupyter re-saves without a diff
    return json.dumps(nb, indent=1, ensure_ascii=False) + "\n"


def tidy(path: Path) -> bool:
    """Strip volatile metadata in place; return True if the file changed."""
    path = Path(path)
    text = path.read_text(encoding="utf-8")
    nb = _load(path)
    for cell in nb.get("cells", []):
        for key in VOLATILE_CELL_KEYS:
            cell.get("metadata", {}).pop(key, None)
    info = nb.get("metadata", {}).get("language_info", {})
    info.pop("version", None)
    new = _dump(nb)
    if new != text:
        path.write_text(new, encoding="utf-8")
        return True
    return False


def problems(path: Path) -> list[str]:
    """Everything that makes a committed notebook untrustworthy, one line each."""
    path = Path(path)
    nb = _load(path)
    found: list[str] = []
    if nb.get("metadata", {}).get("kernelspec", {}).get("name") != "python3":
        found.append(f"{path}: kernelspec must be python3")
    if "version" in nb.get("metadata", {}).get("language_info", {}):
        found.append(f"{path}: language_info.version is volatile (run tidy)")
    expected = 1
    for index, cell in enumerate(nb.get("cells", []), start=1):
        if cell.get("cell_type") != "code":
            continue
        where = f"{path}: code cell {index}"
        if any(key in cell.get("metadata", {}) for key in VOLATILE_CELL_KEYS):
            found.append(f"{where}: volatile execution metadata (run tidy)")
        count = cell.get("execution_count")
        if count != expected:
            found.append(f"{where}: execution_count {count}, expected {expected} (run in order)")
        expected = (count or expected) + 1
        for output in cell.get("outputs", []):
            if output.get("output_type") == "error":
                found.append(f"{where}: error output {output.get('ename')}")
            if output.get("output_type") == "stream" and output.get("name") == "stderr":
                found.append(f"{where}: stderr output: {''.join(output.get('text', ''))[:80]!r}")
    return found


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m reluctant_allies.notebooks")
    parser.add_argument("command", choices=["tidy", "check"])
    parser.add_argument("notebooks", nargs="+", type=Path)
    args = parser.parse_args(argv)
    if args.command == "tidy":
        for path in args.notebooks:
            if tidy(path):
                print(f"tidied {path}")
        return 0
    issues = [line for path in args.notebooks for line in problems(path)]
    print("\n".join(issues) if issues else f"{len(args.notebooks)} notebook(s) clean")
    return 1 if issues else 0


if __name__ == "__main__":
    sys.exit(main())
