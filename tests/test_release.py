"""``make release``: the bundle holds what it says, its RO-Crate describes every file, and it
refuses versions that disagree or a work tree that is not HEAD. Runs on a small git
repository made in a temporary folder (no network: rocrate writes its metadata offline)."""

from __future__ import annotations

import json
import shutil
import subprocess
import tarfile
import zipfile
from pathlib import Path

import pytest

from reluctant_allies import release

ROOT = Path(__file__).resolve().parent.parent
FILES = [
    "reluctant_allies/__init__.py",
    "pyproject.toml",
    "CITATION.cff",
    "REPLICATION.md",
    ".zenodo.json",
    "data",
]


def _git(repo: Path, *args: str) -> None:
    subprocess.run(
        ["git", "-c", "user.name=t", "-c", "user.email=t@example.org", *args],
        cwd=repo,
        check=True,
        capture_output=True,
    )


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    repo = tmp_path / "repo"
    for rel in FILES:
        src, dest = ROOT / rel, repo / rel
        dest.parent.mkdir(parents=True, exist_ok=True)
        (shutil.copytree if src.is_dir() else shutil.copy2)(src, dest)
    (repo / "_build" / "html").mkdir(parents=True)
    (repo / "_build" / "html" / "index.html").write_text("<p>site</p>")
    (repo / ".gitignore").write_text("_build/\n")
    _git(repo, "init", "-q")
    _git(repo, "add", "-A")
    _git(repo, "commit", "-q", "-m", "snapshot")
    return repo


def test_the_bundle_holds_source_data_site_lock_and_a_crate_that_checks(repo, tmp_path):
    bundle = release.build(tmp_path / "out", root=repo)
    version = json.loads((repo / "data/datapackage.json").read_text())["version"]
    assert bundle.name == f"reluctant-allies-{version}"
    names = {p.name for p in bundle.iterdir()}
    assert names == {
        "source.tar.gz",
        "data.zip",
        "html.zip",
        "environment.lock.txt",
        "REPLICATION.md",
        "CITATION.cff",
        ".zenodo.json",
        "ro-crate-metadata.json",
    }
    with tarfile.open(bundle / "source.tar.gz") as tar:
        assert f"{bundle.name}/data/datapackage.json" in tar.getnames()
    with zipfile.ZipFile(bundle / "data.zip") as zf:
        assert f"{bundle.name}/data/trade.csv" in zf.namelist()
    with zipfile.ZipFile(bundle / "html.zip") as zf:
        assert "html/index.html" in zf.namelist()
    assert "pandas==" in (bundle / "environment.lock.txt").read_text()
    archive = release.archive_of(bundle)
    assert archive.name == f"reluctant-allies-{version}.zip" and archive.is_file()
    with zipfile.ZipFile(archive) as zf:
        assert f"{bundle.name}/ro-crate-metadata.json" in zf.namelist()
    assert release.check_crate(bundle) == []
    crate = json.loads((bundle / "ro-crate-metadata.json").read_text())
    root = next(e for e in crate["@graph"] if e["@id"] == "./")
    assert root["version"] == version
    assert root["license"] == {"@id": "https://spdx.org/licenses/MIT"}


def test_the_crate_check_sees_a_changed_or_undescribed_file(repo, tmp_path):
    bundle = release.build(tmp_path / "out", root=repo)
    (bundle / "CITATION.cff").write_text("changed\n")
    (bundle / "extra.txt").write_text("not described\n")
    problems = release.check_crate(bundle)
    assert "CITATION.cff: sha256 differs" in problems
    assert "extra.txt: in the bundle but not described" in problems


def test_a_dirty_work_tree_is_refused_unless_allowed(repo, tmp_path):
    (repo / "CITATION.cff").write_text((repo / "CITATION.cff").read_text() + "# edit\n")
    with pytest.raises(SystemExit, match="tracked files differ from HEAD.*CITATION.cff"):
        release.build(tmp_path / "out", root=repo)
    assert release.build(tmp_path / "out", root=repo, allow_dirty=True).is_dir()


def test_versions_that_disagree_are_refused(repo, tmp_path):
    path = repo / "pyproject.toml"
    path.write_text(path.read_text().replace('version = "', 'version = "9', 1))
    with pytest.raises(SystemExit, match="version numbers disagree"):
        release.build(tmp_path / "out", root=repo, allow_dirty=True)
