"""Publishing (planner role): a workbook in, a new immutable version out, or a 422 saying why not.

``publish(document, source_hash, who, message)`` is the one way a plan becomes a version; the
upload endpoint calls it, and so can any other source of workbooks (the live Google Sheet).
"""
from __future__ import annotations

import hashlib

import click
from flask.cli import with_appcontext

from flask import url_for
from flask.views import MethodView
from webargs.flaskparser import FlaskParser
from werkzeug.datastructures import CombinedMultiDict

from rules.plan.severity import error_violations, warnings

from . import db, openapi, store
from .auth import current_consumer, requires
from .problems import Problem, consumes
from .schemas import PublicationFormSchema, PublicationSchema
from .windows import changes


class _FormAndFilesParser(FlaskParser):
    """The upload's file and its text fields, as one multipart/form-data body."""

    def load_files(self, req, schema):
        return self._makeproxy(CombinedMultiDict([req.files, req.form]), schema)


blp = openapi.blueprint("publications", __name__, "Publishing a new version (planner role).")
blp.ARGUMENTS_PARSER = _FormAndFilesParser()


def publish(document: dict, source_hash: str, who: str, message: str,
            planned_from: store.Head | None = None) -> store.Publication:
    """Store a plan document as the new current version, unless it has errors (Problem 422);
    ``planned_from``: see store.insert_publication."""
    errors = document.get("errors") or []
    violations = error_violations(document)
    if errors or violations:
        raise Problem(
            422, f"Not published: {len(errors)} sheet error(s) and {len(violations)} error "
                 "violation(s); fix them in the workbook and publish again. The current version "
                 "is unchanged.", kind="plan-refused", errors=errors, violations=violations)
    return store.insert_publication(document, source_hash, who, message, planned_from)


def publish_workbook(data: bytes, who: str, message: str,
                     fresh: bool = False) -> store.Publication:
    # Imported here: only publishing needs the workbook reader and the engine, and read-only
    # API workers need not load them.
    from sheets.source import SourceError
    from sheets.xlsx import XlsxSource

    try:
        raw = XlsxSource(data).read()
    except SourceError as error:
        raise Problem(422, f"The upload is not a readable workbook: {error}",
                      kind="unreadable-workbook") from None
    from rules.validation.workbook import validate

    from .progress import publish_planned

    return publish_planned(validate(raw), hashlib.sha256(data).hexdigest(), who, message, fresh)


def summary(publication: store.Publication) -> dict:
    """The 201 body: the version, what changed against the one before it, every warning."""
    with db.reading() as conn:
        before = store.load(conn, publication.version - 1) if publication.version > 1 else None
    return {"version": publication.version, "source_hash": publication.source_hash,
            "who": publication.who, "published_at": publication.published_at,
            "message": publication.message, "windows": len(publication.windows),
            "as_of": publication.document.get("as_of"),
            "changes": changes(before.windows if before else [], publication.document),
            "warnings": warnings(publication.document)}


@blp.route("/publications")
class Publications(MethodView):
    @requires("planner")
    @consumes("multipart/form-data")
    @blp.arguments(PublicationFormSchema, location="files")
    @blp.response(201, PublicationSchema)
    def post(self, form):
        """Publish an uploaded workbook, or the live Google Sheet, as the next version"""
        if form["source"] == "sheet":
            from .live_sheet import publish_from_sheet

            publication = publish_from_sheet(current_consumer().name, form["message"],
                                             form["fresh"])
        else:
            publication = publish_workbook(form["workbook"].read(), current_consumer().name,
                                           form["message"], form["fresh"])
        location = url_for("schedule.Version", version=publication.version)
        return summary(publication), 201, {"Location": location}


@click.command("publish")
@with_appcontext
@click.argument("workbook", type=click.Path(exists=True, dir_okay=False))
@click.option("--message", default="", help="A short note saved with the version.")
@click.option("--who", default="cli", show_default=True, help="Recorded as the publisher.")
@click.option("--fresh", is_flag=True, help="Re-plan every window past the freeze from scratch "
              "instead of keeping each published window that still obeys every error rule.")
def publish_command(workbook: str, message: str, who: str, fresh: bool):
    """Publish WORKBOOK as the next version, unless it is already the current one; say what
    changed against it (kept, moved and why, added, removed, re-queued) and every warning."""
    with open(workbook, "rb") as file:
        data = file.read()
    with db.reading() as conn:
        head = store.head(conn)
        current = store.load(conn, head.version) if head.version else None
    if current is not None and current.source_hash == hashlib.sha256(data).hexdigest() \
            and not fresh:
        click.echo(f"{workbook} is already version {current.version}: nothing to publish")
        return
    try:
        publication = publish_workbook(data, who, message, fresh)
    except Problem as refused:
        for error in refused.extra.get("errors") or []:
            click.echo(f"{error['cell']}: {error['message']}", err=True)
        for violation in refused.extra.get("violations") or []:
            click.echo(f"{violation.get('cell')}: {violation['message']}", err=True)
        raise click.ClickException(refused.detail) from None
    click.echo(f"published {workbook} as version {publication.version} "
               f"({len(publication.windows)} windows)")
    for line in change_lines(summary(publication)):
        click.echo(line)


def change_lines(body: dict) -> list[str]:
    """A publication's changes and warnings, one line each, as the CLI prints them."""
    c = body["changes"]
    lines = [f"kept {c['kept']}, moved {len(c['moved'])}, added {len(c['added'])}, "
             f"removed {len(c['removed'])}, re-queued {len(c['requeued'])}"]
    lines += [f"  moved {m['id']}: {m['old_start']} ({m['old_nodes']} nodes) -> {m['new_start']} "
              f"({m['new_nodes']} nodes): {m['reason']}" for m in c["moved"]]
    lines += [f"  added {w['id']}: {w['start']} ({w['nodes']} nodes)" for w in c["added"]]
    lines += [f"  removed {w['id']}: {w['reason']}" for w in c["removed"]]
    lines += [f"  re-queued {w['id']} (re-runs {w['retry_of']}): {w['start']} ({w['nodes']} nodes)"
              for w in c["requeued"]]
    lines += [f"warning {v['cell']} {v['rule']}: {v['message']}" for v in body["warnings"]]
    return lines


def init_app(app) -> None:
    openapi.register(app, blp)
    app.cli.add_command(publish_command)
