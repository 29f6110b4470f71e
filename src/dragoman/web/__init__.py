"""The dashboard: a small vanilla-JS app, every asset (scripts, styles, map outlines) served from the package."""

from pathlib import Path

STATIC_DIR = Path(__file__).resolve().parent / "static"
