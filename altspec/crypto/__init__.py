"""Cryptographic primitives of the spec: `altspec.crypto.bls` is the BLS signature API."""
