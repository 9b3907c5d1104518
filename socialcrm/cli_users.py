"""``socialcrm user`` and ``socialcrm token``: console users and their API tokens.

``user add EMAIL --role ROLE`` asks for the password twice (hidden), or reads one
line from standard input with ``--password-stdin`` for scripts. ``token create``
prints the new token once; only its SHA-256 is stored, so it cannot be shown again.
"""

from __future__ import annotations

import json
import sys
from typing import Annotated

import typer
from sqlmodel import select

from console.accounts import create_token, create_user, list_tokens, list_users, revoke_token
from console.errors import AccountError
from crm.db import session_scope
from crm.enums import Role
from crm.models import User
from socialcrm.cli_common import ConfigOption, JsonOption, fail, open_store, read_settings

__all__ = ["token_app", "user_app"]

user_app = typer.Typer(help="Console users: add and list.", no_args_is_help=True)
token_app = typer.Typer(help="API tokens: create, list, revoke.", no_args_is_help=True)


@user_app.command("add")
def user_add(
    email: Annotated[str, typer.Argument(help="The user's e-mail; they sign in with it.")],
    role: Annotated[Role, typer.Option(help="admin, manager or agent.")] = Role.AGENT,
    name: Annotated[str, typer.Option(help="Display name.")] = "",
    password_stdin: Annotated[
        bool, typer.Option("--password-stdin", help="Read the password from standard input.")
    ] = False,
    config: ConfigOption = None,
) -> None:
    """Add a console user; asks for the password twice unless --password-stdin."""
    if password_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
    else:
        password = typer.prompt("password", hide_input=True, confirmation_prompt=True)
    engine = open_store(read_settings(config))
    try:
        with session_scope(engine) as session:
            user = create_user(
                session=session, email=email, password=password, role=role, name=name, actor="cli"
            )
            shown = f"added {user.email} ({user.role}), user id {user.id}"
    except AccountError as exc:
        fail(str(exc))
    typer.echo(shown)


@user_app.command("list")
def user_list(config: ConfigOption = None, json_out: JsonOption = False) -> None:
    """Every console user with role and last sign-in."""
    engine = open_store(read_settings(config))
    with session_scope(engine) as session:
        users = [
            u.model_dump(mode="json", exclude={"password_hash"})
            for u in list_users(session=session)
        ]
    if json_out:
        typer.echo(json.dumps(users))
        return
    for user in users:
        active = "" if user["is_active"] else " (inactive)"
        last = user["last_sign_in_at"] or "never"
        typer.echo(
            f"{user['id']:>4}  {user['email']:<40} {user['role']:<8} last sign-in {last}{active}"
        )


@token_app.command("create")
def token_create(
    email: Annotated[str, typer.Argument(help="The user the token acts as.")],
    name: Annotated[str, typer.Option(help="What the token is for, e.g. prometheus.")] = "",
    config: ConfigOption = None,
) -> None:
    """Make an API token for a user and print it once."""
    engine = open_store(read_settings(config))
    try:
        with session_scope(engine) as session:
            user = session.exec(select(User).where(User.email == email.strip().lower())).first()
            if user is None:
                fail(f"there is no user {email}; add one with `socialcrm user add {email}`")
            made = create_token(session=session, user_id=user.id or 0, name=name, actor="cli")
            token_id = made.record.id
    except AccountError as exc:
        fail(str(exc))
    typer.echo(made.secret)
    typer.echo(
        f"token {token_id} for {email}: shown once, keep it secret; "
        f"send it as 'Authorization: Bearer <token>'",
        err=True,
    )


@token_app.command("list")
def token_list(config: ConfigOption = None) -> None:
    """Every token: id, owner, name, first characters, last use, revoked or not."""
    engine = open_store(read_settings(config))
    with session_scope(engine) as session:
        emails = {u.id: u.email for u in list_users(session=session)}
        for token in list_tokens(session=session):
            state = f"revoked {token.revoked_at:%Y-%m-%d}" if token.revoked_at else "active"
            typer.echo(
                f"{token.id:>4}  {emails.get(token.user_id, '?'):<40} {token.name or '-':<16} "
                f"{token.prefix}…  last used {token.last_used_at or 'never'}  {state}"
            )


@token_app.command("revoke")
def token_revoke(
    token_id: Annotated[int, typer.Argument(help="The token's id (see `socialcrm token list`).")],
    config: ConfigOption = None,
) -> None:
    """Revoke an API token for good."""
    engine = open_store(read_settings(config))
    try:
        with session_scope(engine) as session:
            revoke_token(session=session, token_id=token_id, actor="cli")
    except LookupError as exc:
        fail(str(exc))
    typer.echo(f"revoked token {token_id}")
