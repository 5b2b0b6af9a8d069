"""The `altspec` command. See docs/cli.md.

A user mistake or a failing check is one line (or a short list) on stderr and a non-zero exit
status, never a traceback.
"""

import argparse
import subprocess
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

from altspec.errors import AltspecError
from altspec.paths import REPO_ROOT, VECTORS_DIR


def cmd_build(args: argparse.Namespace) -> int:
    from altspec.compiler.build import build

    rebuilt = build(force=args.force)
    print("compiled specs/ into altspec/minimal.py, altspec/mainnet.py" if rebuilt else
          "spec unchanged: nothing to compile")
    return 0


def cmd_vectors(args: argparse.Namespace) -> int:
    from altspec.vectors.generate import generate_files, write_tree

    files = generate_files(jobs=args.jobs, progress=not args.quiet)
    write_tree(files, args.out)
    print(f"wrote {len(files)} files to {_shown(args.out)}")
    return 0


def cmd_check_vectors(args: argparse.Namespace) -> int:
    from altspec.vectors.generate import check_tree

    check_tree(args.dir, jobs=args.jobs, progress=not args.quiet)
    print(f"{_shown(args.dir)} equals a fresh generation")
    return 0


def cmd_decode(args: argparse.Namespace) -> int:
    from altspec.vectors.decode import decode_file

    sys.stdout.write(decode_file(args.file))
    return 0


def cmd_diff(args: argparse.Namespace) -> int:
    from altspec.review import report

    sys.stdout.write(report(REPO_ROOT, args.revision))
    return 0


def cmd_lint(args: argparse.Namespace) -> int:
    from altspec.compiler.build import ensure_built
    from altspec.compiler.linemap import translate

    ensure_built()
    failed = False
    for tool in (["ruff", "check", "--output-format", "concise", "altspec", "tests", "docs/hooks"],
                 ["mypy", "altspec"]):
        run = subprocess.run(
            [sys.executable, "-m", *tool], cwd=REPO_ROOT, capture_output=True, text=True
        )
        output = translate(run.stdout + run.stderr, REPO_ROOT).rstrip()
        print(f"{tool[0]}: {output}" if "\n" not in output else f"{tool[0]}:\n{output}")
        failed |= run.returncode != 0
    return 1 if failed else 0


def _shown(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(Path.cwd()))
    except ValueError:
        return str(path)


def parser() -> argparse.ArgumentParser:
    """The command line: one subcommand per job."""
    top = argparse.ArgumentParser(
        prog="altspec", description="Build the altspec spec, and write and check its vectors."
    )
    sub = top.add_subparsers(dest="command", required=True, metavar="COMMAND")

    def command(name: str, run: Callable[[argparse.Namespace], int], text: str
                ) -> argparse.ArgumentParser:
        p = sub.add_parser(name, help=text, description=text)
        p.set_defaults(run=run)
        return p

    build = command("build", cmd_build, "compile specs/ into altspec/minimal.py and mainnet.py")
    build.add_argument("--force", action="store_true", help="recompile even if nothing changed")

    for name, run, text in (
        ("vectors", cmd_vectors, "generate the test vectors into tests/vectors/"),
        ("check-vectors", cmd_check_vectors,
         "fail, naming the files, when tests/vectors/ differs from a fresh generation"),
    ):
        p = command(name, run, text)
        p.add_argument("--jobs", "-j", type=_positive, default=None,
                       help="worker processes (default: all cores)")
        p.add_argument("--quiet", "-q", action="store_true", help="no progress bar")
        p.add_argument("--out" if name == "vectors" else "--dir", type=Path, default=VECTORS_DIR,
                       help="the vector directory (default: tests/vectors)")

    decode = command("decode", cmd_decode, "print a vector file (.ssz_snappy or .yaml) as YAML")
    decode.add_argument("file", type=Path, help="a file inside a vector case directory")

    diff = command("diff", cmd_diff, "list the spec definitions and vector cases changed since a "
                   "git revision (run 'make vectors' first)")
    diff.add_argument("revision", nargs="?", default="HEAD",
                      help="the git revision to compare with (default: HEAD)")

    command("lint", cmd_lint, "ruff and mypy over altspec/, spec findings at Markdown lines")
    return top


def _positive(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        value = 0
    if value < 1:
        raise argparse.ArgumentTypeError(f"expected a positive whole number, got {text!r}")
    return value


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit status."""
    args = parser().parse_args(argv)
    try:
        status: int = args.run(args)
    except AltspecError as error:
        print(f"altspec: error: {error}", file=sys.stderr)
        return error.exit_code
    except KeyboardInterrupt:
        print("altspec: interrupted", file=sys.stderr)
        return 130
    return status


if __name__ == "__main__":
    sys.exit(main())
