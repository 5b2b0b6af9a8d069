"""Errors that the `altspec` command reports as one line, never as a traceback."""


class AltspecError(Exception):
    """A user-facing failure: bad input, a spec that does not compile, differing vectors.

    `str(error)` is the whole message; the CLI prints it after ``altspec: error:`` and exits
    with `exit_code`.
    """

    exit_code: int = 1


class SpecError(AltspecError):
    """The spec Markdown or its YAML presets cannot be compiled; the message names file:line."""

    exit_code = 2
