"""The spec-test framework: decorators, fixed keys, state and block builders, strategies.

A spec test is a generator that yields the parts of a test vector (`yield "pre", state`). Under
pytest its yields are drained and its assertions checked; under `altspec vectors` the same yields
become files. See docs/testing.md.
"""
