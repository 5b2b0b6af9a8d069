"""The `altspec` command: user mistakes are one line and a non-zero exit, never a traceback."""

import subprocess
import sys
from pathlib import Path

import pytest

from altspec.cli import main
from altspec.paths import REPO_ROOT, VECTORS_DIR


def run_cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "altspec", *args], cwd=REPO_ROOT,
                          capture_output=True, text=True)


def assert_one_line_error(result: subprocess.CompletedProcess[str], status: int) -> None:
    assert result.returncode == status
    assert "Traceback" not in result.stderr
    assert result.stderr.strip().count("\n") == 0, result.stderr


def test_decode_missing_file() -> None:
    result = run_cli("decode", "no/such/file.ssz_snappy")
    assert_one_line_error(result, 1)
    assert "no/such/meta.yaml" in result.stderr or "no/such" in result.stderr


def test_decode_not_a_vector_file(tmp_path: Path) -> None:
    path = tmp_path / "x.txt"
    path.write_text("hi")
    assert_one_line_error(run_cli("decode", str(path)), 1)


def test_decode_corrupt_ssz_names_the_file(tmp_path: Path) -> None:
    case = next((VECTORS_DIR / "minimal" / "v1" / "sanity" / "blocks").rglob("empty_block"))
    copy = tmp_path / "minimal" / "v1" / "case"
    copy.mkdir(parents=True)
    (copy / "meta.yaml").write_bytes((case / "meta.yaml").read_bytes())
    (copy / "pre.ssz_snappy").write_bytes(b"\x00garbage")
    result = run_cli("decode", str(copy / "pre.ssz_snappy"))
    assert_one_line_error(result, 1)
    assert "pre.ssz_snappy: does not decode as State" in result.stderr


def test_decode_committed_vector() -> None:
    case = next((VECTORS_DIR / "minimal" / "v1" / "sanity" / "blocks").rglob("empty_block"))
    result = run_cli("decode", str(case / "blocks_0.ssz_snappy"))
    assert result.returncode == 0
    assert result.stdout.startswith("slot: 1\n")


def test_bad_jobs_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["vectors", "--jobs", "0"])
    assert exit_info.value.code == 2
    assert "expected a positive whole number" in capsys.readouterr().err


def test_unknown_command() -> None:
    result = run_cli("frobnicate")
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
