"""The migrations after m011, in the order they run (``bot.store.migrations`` registers them
after its own); each lives in a module of its own."""

from __future__ import annotations

from bot.store.migrations_m013 import m013_web_notices
from bot.store.schema_calendar_scope import m020_calendar_scope
from bot.store.schema_contacts import m021_contact_cards
from bot.store.schema_documents import m017_documents
from bot.store.schema_mail import m012_mail
from bot.store.schema_ops import m019_heartbeat
from bot.store.schema_org import m014_org_console
from bot.store.schema_org_broadcasts import m016_console_broadcasts
from bot.store.schema_profile import m018_profile_contact
from bot.store.schema_questions import m022_answers_back
from bot.store.schema_roster import m015_enterprise_roster
from bot.store.schema_web_keep import m023_web_handover

LATER = (
    m012_mail,
    m013_web_notices,
    m014_org_console,
    m015_enterprise_roster,
    m016_console_broadcasts,
    m017_documents,
    m018_profile_contact,
    m019_heartbeat,
    m020_calendar_scope,
    m021_contact_cards,
    m022_answers_back,
    m023_web_handover,
)
