"""Signed packages: the format, writing, reading and verification (no Qt)."""
