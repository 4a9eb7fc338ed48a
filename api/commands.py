"""Planners' and engineers' commands: `flask --app wsgi validate|template|plan ...`."""
from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    pass
