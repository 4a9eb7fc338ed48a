"""``planner``: the planner's jobs on a workbook, without the web app, its database or, unless a
``gsheet:`` source is given, Google's libraries: ``planner validate``, ``planner plan``,
``planner template``. The commands are api/commands.py's, as under ``flask --app wsgi``.
"""
from __future__ import annotations

import click

from .commands import plan_command, template_command, validate_command


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
def main() -> None:
    """Validate and plan maintenance workbooks (.xlsx files, or gsheet:ID Google Sheets)."""


for command in (validate_command, plan_command, template_command):
    main.add_command(command)
