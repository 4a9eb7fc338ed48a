"""Bearer tokens per consumer, with roles, stored hashed and shown once.

Roles form one ladder: reader < reporter < planner. A role may do everything the roles below it
may: readers read the schedule, reporters also report window states, planners also publish.
No token (or an unknown one) is 401 with a ``WWW-Authenticate: Bearer`` challenge; a known token
whose role is too low is 403, saying which role the endpoint needs.
"""
from __future__ import annotations

import functools
import hashlib
import secrets
import time
from dataclasses import dataclass

import click
from flask.cli import with_appcontext
import sqlalchemy as sa
from flask import Flask, current_app, g, request

from . import db
from .problems import Problem

ROLES = ("reader", "reporter", "planner")  # low to high
REALM = 'Bearer realm="maintenance-planner"'


@dataclass(frozen=True)
class Consumer:
    name: str
    role: str

    def may(self, role: str) -> bool:
        return ROLES.index(self.role) >= ROLES.index(role)


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def create_token(name: str, role: str, rotate: bool = False) -> str:
    """Store a new consumer and return its token: the only time the token exists in clear.

    With ``rotate``, an existing consumer of that name gets the new token (and role) instead;
    its old token stops working (within TOKEN_CACHE_SECONDS on processes that used it).
    """
    if role not in ROLES:
        raise ValueError(f"role must be one of {', '.join(ROLES)}, got {role!r}")
    token = secrets.token_urlsafe(32)
    values = {"role": role, "token_hash": hash_token(token), "created_at": db.now()}
    with db.writing() as conn:
        replaced = rotate and conn.execute(
            sa.update(db.tokens).where(db.tokens.c.name == name).values(**values)).rowcount
        if not replaced:
            conn.execute(sa.insert(db.tokens).values(name=name, **values))
    return token


def _consumer() -> Consumer:
    header = request.headers.get("Authorization", "")
    scheme, _, token = header.partition(" ")
    if not header:
        raise Problem(401, "Send 'Authorization: Bearer <token>'; ask an operator for a token "
                      "(flask --app wsgi create-token NAME --role ROLE).",
                      kind="missing-token", headers={"WWW-Authenticate": REALM})
    if scheme.lower() != "bearer" or not token.strip():
        raise Problem(401, "The Authorization header must be 'Bearer <token>'.",
                      kind="invalid-token",
                      headers={"WWW-Authenticate": REALM + ', error="invalid_request"'})
    digest = hash_token(token.strip())
    # Known tokens are remembered for a while, saving a query on every request.
    known = current_app.extensions.setdefault("planner_tokens", {})
    hit = known.get(digest)
    if hit and hit[1] > time.monotonic():
        return hit[0]
    with db.reading() as conn:
        row = conn.execute(sa.select(db.tokens.c.name, db.tokens.c.role).where(
            db.tokens.c.token_hash == digest)).first()
    if row is None:
        raise Problem(401, "This token is unknown; check it, or ask an operator for a new one.",
                      kind="invalid-token",
                      headers={"WWW-Authenticate": REALM + ', error="invalid_token"'})
    consumer = Consumer(row.name, row.role)
    if len(known) > 1000:
        known.clear()
    known[digest] = (consumer, time.monotonic() + current_app.config["TOKEN_CACHE_SECONDS"])
    return consumer


def requires(role: str):
    """Decorate a view method: the caller's token must have ``role`` or a higher one."""

    def decorator(view):
        @functools.wraps(view)
        def wrapper(*args, **kwargs):
            consumer = _consumer()
            if not consumer.may(role):
                raise Problem(403, f"This endpoint needs the {role} role (or higher); the token "
                              f"of {consumer.name!r} has the {consumer.role} role.",
                              kind="role-too-low")
            g.consumer = consumer
            return view(*args, **kwargs)

        # functools.wraps kept smorest's _apidoc and the docstring; the OpenAPI description
        # (the docstring after its first line) says who may call.
        wrapper.__doc__ = f"{(view.__doc__ or '').strip()}\n\nNeeds the {role} role or higher."
        return wrapper

    return decorator


def current_consumer() -> Consumer:
    return g.consumer


@click.command("create-token")
@with_appcontext
@click.argument("name")
@click.option("--role", type=click.Choice(ROLES), required=True,
              help="reader < reporter < planner; each role includes the ones before it.")
@click.option("--rotate", is_flag=True,
              help="Replace the token of an existing consumer of that name.")
def create_token_command(name: str, role: str, rotate: bool):
    """Create a consumer's bearer token; it is printed once, alone on the last line."""
    with db.reading() as conn:
        taken = conn.execute(sa.select(db.tokens.c.id).where(db.tokens.c.name == name)).first()
    if taken and not rotate:
        raise click.ClickException(f"a consumer named {name!r} already exists; pick another "
                                   "name, or --rotate to replace its token")
    token = create_token(name, role, rotate)
    click.echo(f"Token for {name} ({role}); store it now, it is not shown again:")
    click.echo(token)


@click.command("list-tokens")
@with_appcontext
def list_tokens_command():
    """List the consumers that have a token: name, role, when it was made (never the token)."""
    with db.reading() as conn:
        rows = conn.execute(sa.select(db.tokens.c.name, db.tokens.c.role,
                                      db.tokens.c.created_at).order_by(db.tokens.c.name)).all()
    for row in rows:
        click.echo(f"{row.name}\t{row.role}\t{db.utc(row.created_at).isoformat()}")
    if not rows:
        click.echo("no tokens yet (create-token NAME --role ROLE makes one)", err=True)


@click.command("revoke-token")
@with_appcontext
@click.argument("name")
def revoke_token_command(name: str):
    """Revoke NAME's token; API processes that used it stop accepting it within
    TOKEN_CACHE_SECONDS. Its webhook subscriptions and calendar feeds stay (a planner lists
    and deletes them)."""
    with db.writing() as conn:
        gone = conn.execute(sa.delete(db.tokens).where(db.tokens.c.name == name)).rowcount
    if not gone:
        raise click.ClickException(f"no consumer named {name!r}; list-tokens shows them")
    click.echo(f"revoked the token of {name}")


def init_app(app: Flask) -> None:
    app.cli.add_command(create_token_command)
    app.cli.add_command(list_tokens_command)
    app.cli.add_command(revoke_token_command)
