#!/usr/bin/env python3
"""Loa's command line: `python build.py [build|check|new|serve] …` (see README)."""
import sys

from loa.cli import main

if __name__ == "__main__":
    sys.exit(main())
