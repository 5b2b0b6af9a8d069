"""Test vectors: running spec tests as vector cases, encoding their parts, the schema, writing
and checking the tree. The format is documented in docs/vectors.md."""

FORK = "v1"
"""The fork every vector of this spec version belongs to."""
