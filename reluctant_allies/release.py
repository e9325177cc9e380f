"""``make release``: a versioned, archivable bundle of the book, described by RO-Crate metadata.

    python -m reluctant_allies.release [--allow-dirty] [--out DIR]

Writes ``_build/release/reluctant-allies-<version>/`` and a zip of it beside the folder:

* ``source.tar.gz``: the repository at ``HEAD`` (``git archive``), the code and notebooks
  with their committed outputs;
* ``data.zip``: the data package at ``HEAD`` (``data/``: ``datapackage.json``, the CSVs,
  the changelog);
* ``html.zip``: the built site, if ``_build/html`` exists (it is what the last
  ``make book`` built, which may be newer than ``HEAD``: the crate says when it was built);
  the whole-book PDF (``_build/pdf/*.pdf``) and the offline edition (``_build/offline/*.zip``)
  where they exist;
* ``environment.lock.txt``: ``pip freeze`` of the environment running this (``make release``
  runs it in ``.venv``, which ``make`` builds from ``requirements.txt``);
* ``REPLICATION.md``, ``CITATION.cff`` and ``.zenodo.json`` as they are at ``HEAD``;
* ``ro-crate-metadata.json``: RO-Crate 1.2 metadata (written offline by the ``rocrate``
  package) that names every file above with its size and sha256, the
  version, licence, authors and the article the book accompanies.

It refuses to run when the version numbers disagree
(:func:`reluctant_allies.replication.versions`) or when tracked files differ from ``HEAD``
(the source archive would not be what was built);
``--allow-dirty`` overrides the second for a trial run. Minting a DOI is a later step, by
hand: upload the zip to Zenodo (``.zenodo.json`` holds the deposit metadata), then add the
DOI to ``CITATION.cff`` as ``doi:`` and run ``make replication``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import platform
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

from rocrate.model.contextentity import ContextEntity
from rocrate.rocrate import ROCrate

from . import ROOT, replication

BUILD = ROOT / "_build"
#: RO-Crate 1.2, not rocrate's default 1.3: the independent validator (roc-validator 0.13.0)
#: has profiles for 1.1 and 1.2 only, and a crate nobody can check is not yet archivable.
CRATE_VERSION = "1.2"


def _git(*args: str, root: Path = ROOT) -> bytes:
    return subprocess.run(["git", *args], cwd=root, check=True, capture_output=True).stdout


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _zip_tree(folder: Path, dest: Path) -> None:
    with zipfile.ZipFile(dest, "w", zipfile.ZIP_DEFLATED) as zf:
        for path in sorted(folder.rglob("*")):
            if path.is_file():
                zf.write(path, Path(folder.name) / path.relative_to(folder))


def environment_lock() -> str:
    """``pip freeze`` of this interpreter's environment, with a header naming it."""
    frozen = subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "freeze",
            "--exclude-editable",
            "--disable-pip-version-check",
        ],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    head = [
        f"# pip freeze of {sys.prefix} (Python {platform.python_version()}, "
        f"{platform.system()} {platform.machine()}), {dt.date.today().isoformat()}",
        "# The book's own package (reluctant_allies): pip install . from source.tar.gz",
    ]
    return "\n".join(head) + "\n" + frozen


def dirty(root: Path = ROOT) -> list[str]:
    """Tracked files that differ from ``HEAD``."""
    status = _git("status", "--porcelain", "--untracked-files=no", root=root).decode()
    return [line[3:] for line in status.splitlines() if line.strip()]


#: What the crate says of one bundled file: (file name, name, description, format).
_Described = tuple[str, str, str, str]


def _checked_version(root: Path, *, allow_dirty: bool) -> str:
    """The one version number of the book, after refusing disagreeing numbers or a dirty tree."""
    versions = replication.versions(root)
    if len(set(versions.values())) != 1:
        raise SystemExit(f"release: the version numbers disagree: {versions}")
    version = versions["reluctant_allies.__version__"]
    changed = dirty(root)
    if changed and not allow_dirty:
        raise SystemExit(
            "release: tracked files differ from HEAD, so the source archive would not be "
            f"what is in the work tree: {changed[:10]} (commit, or pass --allow-dirty)"
        )
    return version


def _fresh_folder(bundle: Path) -> Path:
    """``bundle``, emptied of any earlier run and created anew."""
    if bundle.exists():
        shutil.rmtree(bundle)
    bundle.mkdir(parents=True)
    return bundle


def _add_head_files(bundle: Path, name: str, commit: str, root: Path) -> list[_Described]:
    """Descriptions of what is written from ``HEAD``: source, data and the metadata files."""
    source = bundle / "source.tar.gz"
    source.write_bytes(_git("archive", "--format=tar.gz", f"--prefix={name}/", "HEAD", root=root))
    described = [
        (source.name, "Source at HEAD", f"git archive of commit {commit}", "application/gzip")
    ]
    data = bundle / "data.zip"
    data.write_bytes(
        _git("archive", "--format=zip", f"--prefix={name}/", "HEAD", "data", root=root)
    )
    described.append(
        (
            data.name,
            "Data package",
            f"data/ at commit {commit}: datapackage.json, CSVs, changelog",
            "application/zip",
        )
    )
    for rel in ("REPLICATION.md", "CITATION.cff", ".zenodo.json"):
        target = bundle / rel
        target.write_bytes(_git("show", f"HEAD:{rel}", root=root))
        described.append((target.name, rel, f"{rel} at commit {commit}", "text/plain"))
    return described


def _add_built_files(bundle: Path, root: Path) -> list[_Described]:
    """Descriptions of the built outputs copied in (site, PDF, offline edition) and the lock."""
    described: list[_Described] = []
    html = root / "_build" / "html"
    if (html / "index.html").exists():
        built = dt.datetime.fromtimestamp((html / "index.html").stat().st_mtime, dt.UTC)
        site = bundle / "html.zip"
        _zip_tree(html, site)
        described.append(
            (
                site.name,
                "Built site",
                f"_build/html as built by `make book` at {built:%Y-%m-%d %H:%M} UTC",
                "application/zip",
            )
        )
    for found in sorted((root / "_build" / "pdf").glob("*.pdf")):
        shutil.copy2(found, bundle / found.name)
        described.append(
            (found.name, "Whole-book PDF", f"_build/pdf/{found.name}", "application/pdf")
        )
    for found in sorted((root / "_build" / "offline").glob("*.zip")):
        shutil.copy2(found, bundle / found.name)
        described.append(
            (found.name, "Offline edition", f"_build/offline/{found.name}", "application/zip")
        )
    lock = bundle / "environment.lock.txt"
    lock.write_text(environment_lock(), encoding="utf-8")
    described.append(
        (lock.name, "Environment lock", "exact installed versions (pip freeze)", "text/plain")
    )
    return described


def build(out: Path, *, allow_dirty: bool = False, root: Path = ROOT) -> Path:
    """Write the bundle for the current version into ``out``; return the bundle folder."""
    version = _checked_version(root, allow_dirty=allow_dirty)
    commit = _git("rev-parse", "HEAD", root=root).decode().strip()
    name = f"reluctant-allies-{version}"
    bundle = _fresh_folder(out / name)
    described = _add_head_files(bundle, name, commit, root)
    described += _add_built_files(bundle, root)

    write_crate(bundle, described, version=version, root=root)
    shutil.make_archive(str(archive_of(bundle).with_suffix("")), "zip", root_dir=out, base_dir=name)
    return bundle


def archive_of(bundle: Path) -> Path:
    """The zip beside ``bundle`` (``with_suffix`` would cut the version's last ``.0``)."""
    return bundle.parent / f"{bundle.name}.zip"


def _crate_licence(crate: ROCrate, licence: str) -> ContextEntity:
    """The licence's SPDX entity, added to ``crate``."""
    return crate.add(
        ContextEntity(
            crate,
            f"https://spdx.org/licenses/{licence}",
            properties={"@type": "CreativeWork", "name": f"{licence} License"},
        )
    )


def _crate_authors(crate: ROCrate, authors: list[dict]) -> list[ContextEntity]:
    """One entity per CITATION.cff author (person or organisation), added to ``crate``."""
    return [
        crate.add(
            ContextEntity(
                crate,
                f"#author-{i}",
                properties={
                    "@type": "Organization" if a.get("name") else "Person",
                    "name": a.get("name")
                    or f"{a.get('given-names', '')} {a['family-names']}".strip(),
                },
            )
        )
        for i, a in enumerate(authors, start=1)
    ]


def _crate_references(crate: ROCrate, references: list[dict]) -> list[ContextEntity]:
    """One entity per CITATION.cff reference that has a DOI, added to ``crate``."""
    related = []
    for ref in references:
        if ref.get("doi"):
            related.append(
                crate.add(
                    ContextEntity(
                        crate,
                        f"https://doi.org/{ref['doi']}",
                        properties={"@type": "ScholarlyArticle", "name": ref.get("title", "")},
                    )
                )
            )
    return related


def _crate_files(crate: ROCrate, bundle: Path, files: list[_Described]) -> None:
    """Nothing: adds each of ``files`` (in ``bundle``) to ``crate`` with its size and sha256."""
    for filename, title, description, fmt in files:
        path = bundle / filename
        crate.add_file(
            path,
            dest_path=filename,
            properties={
                "name": title,
                "description": description,
                "encodingFormat": fmt,
                "contentSize": str(path.stat().st_size),
                "sha256": _sha256(path),
            },
        )


def write_crate(
    bundle: Path,
    files: list[tuple[str, str, str, str]],
    *,
    version: str,
    root: Path = ROOT,
) -> None:
    """``ro-crate-metadata.json`` in ``bundle``, describing ``files`` (already there)."""
    cff = replication.citation(root)
    crate = ROCrate(version=CRATE_VERSION)
    crate.name = cff["title"]
    crate.description = " ".join(str(cff.get("abstract", "")).split())
    crate.root_dataset["version"] = version
    crate.datePublished = str(cff["date-released"])
    crate.license = _crate_licence(crate, cff["license"])
    authors = _crate_authors(crate, cff["authors"])
    crate.creator = authors[0] if len(authors) == 1 else authors  # 1.2: no singleton arrays
    crate.root_dataset["url"] = cff["repository-code"]
    # No "identifier" yet: RO-Crate 1.2 wants one that resolves to the crate, which only the
    # DOI minted at deposit will (then it goes here, as https://doi.org/...).
    if cff.get("doi"):
        crate.root_dataset["identifier"] = f"https://doi.org/{cff['doi']}"
    crate.keywords = list(cff.get("keywords", []))
    related = _crate_references(crate, cff.get("references", []))
    if related:
        crate.root_dataset["isBasedOn"] = related[0] if len(related) == 1 else related
    _crate_files(crate, bundle, files)
    crate.metadata.write(bundle)


def check_crate(bundle: Path) -> list[str]:
    """Problems with ``bundle``'s RO-Crate: read back with ``rocrate``; every file present,
    described, of the recorded size and sha256; the root's required properties set."""
    problems = []
    crate = ROCrate(bundle)
    root = crate.root_dataset
    for key in ("name", "description", "datePublished", "license", "version"):
        if not root.get(key):
            problems.append(f"root dataset has no {key!r}")
    described = {e.id: e for e in crate.data_entities}
    on_disk = {p.name for p in bundle.iterdir() if p.is_file()} - {"ro-crate-metadata.json"}
    for missing in sorted(on_disk - set(described)):
        problems.append(f"{missing}: in the bundle but not described")
    for fid, entity in described.items():
        path = bundle / fid
        if not path.is_file():
            problems.append(f"{fid}: described but not in the bundle")
            continue
        if entity.get("contentSize") != str(path.stat().st_size):
            problems.append(f"{fid}: size differs from contentSize")
        if entity.get("sha256") != _sha256(path):
            problems.append(f"{fid}: sha256 differs")
    return problems


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--allow-dirty", action="store_true")
    parser.add_argument("--out", type=Path, default=BUILD / "release")
    args = parser.parse_args(argv)
    bundle = build(args.out, allow_dirty=args.allow_dirty)
    problems = check_crate(bundle)
    for path in sorted(bundle.iterdir()):
        print(f"release: {path.name:<28} {path.stat().st_size / 1e6:9.2f} MB")
    archive = archive_of(bundle)
    print(f"release: {archive} {archive.stat().st_size / 1e6:.2f} MB")
    if problems:
        print("release: RO-Crate problems:\n  " + "\n  ".join(problems), file=sys.stderr)
        return 1
    print(
        f"release: RO-Crate read back: {len(ROCrate(bundle).data_entities)} files described, "
        "sizes and sha256 match"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
