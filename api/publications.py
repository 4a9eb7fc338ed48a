"""Publishing (planner role): a workbook in, a new immutable version out, or a 422 saying why not.

The endpoint and ``flask --app wsgi publish`` call the use cases in api/service.py (upload, live
sheet); a refused plan comes back as InvalidWorkbook with its sheet errors and error violations.
"""
from __future__ import annotations

import click
from flask.cli import with_appcontext

from flask import url_for
from flask.views import MethodView
from webargs.flaskparser import FlaskParser
from werkzeug.datastructures import CombinedMultiDict

from rules.plan.severity import warnings

from . import db, openapi, service, store, windows
from .auth import current_consumer, requires
from .errors import InvalidWorkbook
from .problems import consumes
from .schemas import PublicationFormSchema, PublicationSchema


class _FormAndFilesParser(FlaskParser):
    """The upload's file and its text fields, as one multipart/form-data body."""

    def load_files(self, req, schema):
        return self._makeproxy(CombinedMultiDict([req.files, req.form]), schema)


blp = openapi.blueprint("publications", __name__, "Publishing a new version (planner role).")
blp.ARGUMENTS_PARSER = _FormAndFilesParser()


def summary(publication: store.Publication) -> dict:
    """The 201 body: the version, what changed against the one before it, every warning."""
    with db.reading() as conn:
        before = store.load(conn, publication.version - 1) if publication.version > 1 else None
    return {"version": publication.version, "source_hash": publication.source_hash,
            "who": publication.who, "published_at": publication.published_at,
            "message": publication.message, "windows": len(publication.windows),
            "as_of": publication.document.get("as_of"),
            "changes": windows.changes(before.windows if before else [], publication.document),
            "warnings": warnings(publication.document),
            "bound": (publication.document.get("summary") or {}).get("bound")}


@blp.route("/publications")
class Publications(MethodView):
    @requires("planner")
    @consumes("multipart/form-data")
    @blp.arguments(PublicationFormSchema, location="files")
    @blp.response(201, PublicationSchema)
    def post(self, form):
        """Publish an uploaded workbook, or the live Google Sheet, as the next version"""
        who, message = current_consumer().name, form["message"]
        if form["source"] == "sheet":
            publication = service.publish_live_sheet(who, message, form["fresh"])
        else:
            publication = service.publish_upload(form["workbook"].read(), who, message,
                                                 form["fresh"])
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
    """Publish WORKBOOK as the next version, unless it is already the current one and nothing
    was reported since; say what changed (kept, moved and why, added, removed, re-queued) and
    every warning."""
    with open(workbook, "rb") as file:
        data = file.read()
    current = service.current_if_published_from(service.source_hash(data))
    if current is not None and not fresh and not store_reports_on(current.version):
        click.echo(f"{workbook} is already version {current.version}: nothing to publish")
        return
    try:
        publication = service.publish_upload(data, who, message, fresh)
    except InvalidWorkbook as refused:
        for error in refused.extra.get("errors") or []:
            click.echo(f"{error['cell']}: {error['message']}", err=True)
        for violation in refused.extra.get("violations") or []:
            click.echo(f"{violation.get('cell')}: {violation['message']}", err=True)
        raise click.ClickException(refused.detail) from None
    click.echo(f"published {workbook} as version {publication.version} "
               f"({len(publication.windows)} windows)")
    for line in change_lines(summary(publication)):
        click.echo(line)
    if publication.version > 1:
        with db.reading() as conn:
            previous = store.load(conn, publication.version - 1)
        changes = windows.diff(windows.with_states(previous.windows, {}),
                               windows.with_states(publication.windows, {}))
        click.echo(f"against version {previous.version}: " + ", ".join(
            f"{len(changes[what])} {what}" for what in ("added", "removed", "moved", "resized"))
            + f" (GET /api/v1/versions/{publication.version}/diff?against={previous.version})")


def store_reports_on(version: int) -> bool:
    """Whether any state was reported against ``version`` (a republication would use it)."""
    with db.reading() as conn:
        return store.reported_on(conn, version)


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
