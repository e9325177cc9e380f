"""``python -m tests.prose_numbers``: how many numbers in the chapters' prose are glued from
code, and how many are still typed, by kind.

A number a reader sees in prose should come from the code that computes it (myst-nb's
``{glue:text}``), so a data change cannot leave the sentence behind. Some numbers are rightly
typed: dates and years, counts inside quotations, chapter, figure and claim numbers, and the
book's stated parameters. This script reads the markdown cells of ``book/*.ipynb`` and sorts
every digit run outside code, links, maths and glue roles into those kinds; what is left is
"typed: check" -- a number that may belong in a glue.

It measures; it does not fail. The issue asks for the count in the closing note.
"""

from __future__ import annotations

import argparse
import json
import re
from collections import Counter
from pathlib import Path

BOOK = Path(__file__).resolve().parents[1] / "book"

GLUE = re.compile(r"\{glue(?::\w+)?\}`[^`]+`")
#: spans whose digits are not prose numbers: code, roles, maths, links, html, cell labels
MASKS = [
    re.compile(r"```.*?```", re.S),
    re.compile(r":::.*?\n", re.S),
    re.compile(r"\{[\w:-]+\}`[^`]*`"),  # {cite}`x`, {numref}`fig-3-1`, {glue:text}`x`
    re.compile(r"`[^`\n]*`"),
    re.compile(r"\$\$.*?\$\$", re.S),
    re.compile(r"(?<!\\)\$[^$\n]+(?<!\\)\$"),
    re.compile(r"\]\([^)]*\)"),  # link targets
    re.compile(r"<[^>\n]+>"),
    re.compile(r"^\(.*?\)=\s*$", re.M),  # (label)=
    re.compile(r"^:[\w-]+:.*$", re.M),  # directive options
    re.compile(r"^#+ .*$", re.M),  # headings
]
QUOTE = re.compile(r"[\"“][^\"”\n]{0,400}[\"”]")
NUMBER = re.compile(r"(?<![\w.])[−-]?\d[\d,]*(?:\.\d+)?\s?%?")
KINDS = [
    ("year or date", re.compile(r"^(1[89]\d\d|20\d\d)(s)?$")),
    ("ordinal/label", re.compile(r"^\d{1,2}$")),
]
LABEL_BEFORE = re.compile(
    r"(chapter|chapters|figure|fig\.|table|section|exercise|step|part|rule|item|C|P|E|O|W|G|N)"
    r"\s*$",
    re.I,
)


def _mask(text: str) -> str:
    for pattern in MASKS:
        text = pattern.sub(lambda m: " " * len(m.group(0)), text)
    return text


def classify(markdown: str) -> Counter:
    """Counter of number kinds in one markdown text (see the module docstring)."""
    counts: Counter = Counter()
    counts["glued"] = len(GLUE.findall(markdown))
    text = _mask(markdown)
    quoted = [m.span() for m in QUOTE.finditer(text)]
    for m in NUMBER.finditer(text):
        token = m.group(0).strip().lstrip("−-").rstrip("%").strip().replace(",", "")
        if any(a <= m.start() < b for a, b in quoted):
            counts["in a quotation"] += 1
            continue
        before = text[max(0, m.start() - 12) : m.start()]
        if (
            LABEL_BEFORE.search(before)
            or text[m.end() : m.end() + 1] in {"–", "-"}
            and (re.match(r"^(1[89]\d\d|20\d\d)$", token))
        ):
            counts["year or date" if re.match(r"^(1[89]|20)\d\d$", token) else "ordinal/label"] += 1
            continue
        for kind, pattern in KINDS:
            if pattern.match(token):
                counts[kind] += 1
                break
        else:
            counts["typed: check"] += 1
    return counts


def chapter_counts(book: Path = BOOK) -> dict[str, Counter]:
    out = {}
    for path in sorted(book.glob("*.ipynb")):
        nb = json.loads(path.read_text(encoding="utf-8"))
        md = "\n\n".join("".join(c["source"]) for c in nb["cells"] if c["cell_type"] == "markdown")
        out[path.stem] = classify(md)
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--book", type=Path, default=BOOK)
    parser.add_argument("--show", metavar="CHAPTER", help="print the 'typed: check' numbers")
    args = parser.parse_args(argv)
    counts = chapter_counts(args.book)
    kinds = ["glued", "typed: check", "year or date", "ordinal/label", "in a quotation"]
    print(f"{'chapter':18}" + "".join(f"{k:>16}" for k in kinds))
    total: Counter = Counter()
    for name, c in counts.items():
        total += c
        print(f"{name:18}" + "".join(f"{c[k]:>16}" for k in kinds))
    print(f"{'total':18}" + "".join(f"{total[k]:>16}" for k in kinds))
    if args.show:
        nb = json.loads((args.book / f"{args.show}.ipynb").read_text(encoding="utf-8"))
        for cell in nb["cells"]:
            if cell["cell_type"] != "markdown":
                continue
            text = _mask("".join(cell["source"]))
            for m in NUMBER.finditer(text):
                token = m.group(0).strip().lstrip("−-").rstrip("%").strip().replace(",", "")
                if not any(p.match(token) for _, p in KINDS):
                    print(f"  {text[max(0, m.start() - 40) : m.end() + 20]!r}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
