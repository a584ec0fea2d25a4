"""Loa: a static site generator for a public-information portal on cheap phones."""

__version__ = "0.1.0"
