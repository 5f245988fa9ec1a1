"""Organizer and admin commands: roles (/grant, /invite, /revoke, /organizers), the audit
log (/audit), recent broadcasts (/broadcasts), and invite deep links (/start inv_…).

Everyone else gets one short refusal and nothing changes. Writes are effects the store applies
in the turn's transaction, checking the role again.
"""

from __future__ import annotations

import hashlib
import json
import secrets
from datetime import timedelta

from conversations import scopes, texts
from conversations.broadcasting import fractions_text
from conversations.core import (
    Context,
    CreateInvite,
    GrantOrganizer,
    Outcome,
    Reply,
    RevokeOrganizer,
    Turn,
    UseInvite,
)

INVITE_PREFIX = "inv_"
INVITE_HOURS = 48
LIST_LIMIT = 20

# name -> description, shown in the command lists of organizers (and admins) only.
ORGANIZER_COMMANDS = {"broadcast": texts.CMD_BROADCAST, "broadcasts": texts.CMD_BROADCASTS}
ADMIN_COMMANDS = {
    "grant": texts.CMD_GRANT,
    "invite": texts.CMD_INVITE,
    "revoke": texts.CMD_REVOKE,
    "organizers": texts.CMD_ORGANIZERS,
    "audit": texts.CMD_AUDIT,
}


def token_hash(token: str) -> str:
    """What the store keeps of an invite token."""
    return hashlib.sha256(token.encode()).hexdigest()


def short_time(iso: str | None) -> str:
    return (iso or "")[:16].replace("T", " ")


def _say(turn: Turn, text: str, effects: list | None = None) -> Outcome:
    return Outcome(state=turn.state, replies=[Reply(text=text)], effects=effects or [])


def handles(name: str) -> bool:
    return name in ADMIN_COMMANDS or name == "broadcasts"


def command(ctx: Context, turn: Turn, name: str, args: str) -> Outcome:
    """An organizer or admin command (``handles(name)``)."""
    if name == "broadcasts":
        if not turn.actor.is_organizer:
            return _say(turn, texts.ORG_ONLY)
        return _say(turn, broadcasts_text(turn))
    if not turn.actor.is_admin:
        return _say(turn, texts.ADMIN_ONLY)
    words = args.split()
    match name:
        case "grant":
            return _grant(turn, words)
        case "revoke":
            return _revoke(turn, words)
        case "invite":
            return _invite(ctx, turn, words)
        case "organizers":
            return _say(turn, organizers_text(turn))
        case "audit":
            return _say(turn, audit_text(turn))
    raise ValueError(f"not an organizer command: {name}")


def _user_id(word: str) -> int | None:
    return int(word) if word.isdigit() and 0 < int(word) < 2**53 else None


def _grant(turn: Turn, words: list[str]) -> Outcome:
    user_id = _user_id(words[0]) if words else None
    scope = scopes.parse_scope(words[1], " ".join(words[2:])) if len(words) >= 2 else None
    if user_id is None or scope is None:
        return _say(turn, texts.ORG_GRANT_USAGE)
    text = texts.ORG_GRANTED.format(user_id=user_id, scope=scopes.label(scope))
    effect = GrantOrganizer(by=turn.actor.person_id, user_id=user_id, scope=scope)
    return _say(turn, text, [effect])


def _revoke(turn: Turn, words: list[str]) -> Outcome:
    user_id = _user_id(words[0]) if len(words) == 1 else None
    if user_id is None:
        return _say(turn, texts.ORG_REVOKE_USAGE)
    current = {row["user_id"]: row["scope"] for row in _records(turn).organizers()}
    if user_id not in current:
        return _say(turn, texts.ORG_NOT_ORGANIZER.format(user_id=user_id))
    text = texts.ORG_REVOKED.format(user_id=user_id, scope=scopes.label(current[user_id]))
    return _say(turn, text, [RevokeOrganizer(by=turn.actor.person_id, user_id=user_id)])


def _invite(ctx: Context, turn: Turn, words: list[str]) -> Outcome:
    scope = scopes.parse_scope(words[0], " ".join(words[1:])) if words else None
    if scope is None:
        return _say(turn, texts.ORG_INVITE_USAGE)
    token = secrets.token_urlsafe(18)
    expires = (ctx.clock() + timedelta(hours=INVITE_HOURS)).isoformat(timespec="seconds")
    payload = f"{INVITE_PREFIX}{token}"
    link = (
        f"https://t.me/{ctx.bot_username}?start={payload}"
        if ctx.bot_username
        else f"/start {payload}"
    )
    effect = CreateInvite(
        by=turn.actor.person_id, token_hash=token_hash(token), scope=scope, expires_at=expires
    )
    text = texts.ORG_INVITE_CREATED.format(scope=scopes.label(scope), hours=INVITE_HOURS, link=link)
    return _say(turn, text, [effect])


def use_invite(ctx: Context, turn: Turn, payload: str) -> Outcome:
    """/start inv_<token>: the invite checked (unused, not expired), then redeemed."""
    token = payload.removeprefix(INVITE_PREFIX)
    hashed = token_hash(token)
    invite = _records(turn).invite(hashed) if token else None
    now = ctx.clock().isoformat(timespec="seconds")
    if invite is None or invite["used_at"] is not None or invite["expires_at"] <= now:
        return _say(turn, texts.ORG_INVITE_BAD)
    text = texts.ORG_INVITE_OK.format(scope=scopes.label(invite["scope"]))
    return _say(turn, text, [UseInvite(person_id=turn.actor.person_id, token_hash=hashed)])


# ---- lists -----------------------------------------------------------------------------------


def _records(turn: Turn):
    if turn.records is None:
        raise RuntimeError("organizer commands need the store's records")
    return turn.records


def organizers_text(turn: Turn) -> str:
    rows = _records(turn).organizers()
    if not rows:
        return texts.ORG_LIST_EMPTY
    lines = [texts.ORG_LIST_HEADER.format(count=len(rows))]
    for row in rows:
        lines.append(
            texts.ORG_LIST_LINE.format(
                user_id=row["user_id"],
                scope=scopes.label(row["scope"]),
                granted_at=short_time(row["granted_at"]),
            )
        )
    return "\n".join(lines)


def audit_text(turn: Turn) -> str:
    rows = _records(turn).recent_audit(LIST_LIMIT)
    if not rows:
        return texts.AUDIT_EMPTY
    return "\n".join([texts.AUDIT_HEADER, *(audit_line(row) for row in rows)])


def audit_line(row: dict) -> str:
    detail = json.loads(row["detail"]) if row.get("detail") else {}
    extra = "".join(f"　{k}={v}" for k, v in detail.items())
    return texts.AUDIT_LINE.format(
        at=short_time(row["at"]),
        actor=row.get("who") or row["actor"],
        action=texts.AUDIT_ACTIONS.get(row["action"], row["action"]),
        scope=scopes.label(row["scope"]) if row.get("scope") else "—",
        detail=extra,
    )


def broadcasts_text(turn: Turn) -> str:
    by = (
        None if turn.actor.is_admin or turn.actor.scope == scopes.PROVINCE else turn.actor.person_id
    )
    rows = _records(turn).recent_broadcasts(by=by, limit=10)
    if not rows:
        return texts.BROADCASTS_EMPTY
    return "\n".join([texts.BROADCASTS_HEADER, *(broadcast_line(row) for row in rows)])


def broadcast_line(row: dict) -> str:
    """A broadcast's state and counts, then how many were delivered on each channel."""
    line = texts.BROADCASTS_LINE.format(
        id=row["id"],
        created_at=short_time(row["created_at"]),
        segment=scopes.label(row["segment"]),
        state=texts.BROADCAST_STATES.get(row["state"], row["state"]),
        sent=row["sent"],
        total=row["total"],
        blocked=row["blocked"],
        failed=row["failed"],
    )
    channels = fractions_text(row["channels"], "sent")
    return line + texts.BROADCASTS_CHANNELS.format(channels=channels) if channels else line
