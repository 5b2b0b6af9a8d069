"""The site builds with `mkdocs build --strict`, shows the spec pages straight from specs/, and
every link from code to a definition lands on an anchor that exists."""

import re
import subprocess
import sys
from pathlib import Path

import pytest

from altspec.paths import REPO_ROOT


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("site")
    run = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--quiet", "-d", str(out)],
        cwd=REPO_ROOT, capture_output=True, text=True, env={"NO_MKDOCS_2_WARNING": "1",
                                                            "PATH": "/usr/bin:/bin"},
    )
    assert run.returncode == 0, run.stdout + run.stderr
    return out


def test_spec_page_comes_from_specs(site: Path) -> None:
    page = (site / "spec" / "core" / "index.html").read_text()
    assert "state_transition" in page
    assert 'id="def-state_transition"' in page


def test_every_definition_link_lands(site: Path) -> None:
    pages = {p: p.read_text() for p in site.rglob("index.html")}
    links = 0
    for path, text in pages.items():
        for href in re.findall(r'href="([^"#]*)#(def-\w+)"', text):
            target = (path.parent / href[0] / "index.html").resolve()
            assert target in pages, f"{path}: link to missing page {href[0]}"
            assert f'id="{href[1]}"' in pages[target], f"{path}: missing anchor {href[1]}"
            links += 1
    assert links > 50


def test_reference_lists_reason_codes(site: Path) -> None:
    page = (site / "reference" / "index.html").read_text()
    for code in ("state_root_mismatch", "parent_root_mismatch", "slot_not_in_future"):
        assert code in page
