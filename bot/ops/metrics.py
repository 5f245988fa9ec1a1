"""The process's Prometheus metrics (prometheus-client), served at ``/metrics``.

Counters and histograms live in this module's own registry for the life of the process (one
process, one bot); what the store holds (the outbox depth, the unanswered questions) and the
dispatcher's state are read at each scrape by ``StoreCollector``. No label names a person: the
labels are channels, kinds of event, transports, outbox tables and outcomes, all from short
fixed lists.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from typing import Any

from prometheus_client import (
    CollectorRegistry,
    Counter,
    Histogram,
    generate_latest,
)
from prometheus_client.core import GaugeMetricFamily, Metric
from prometheus_client.gc_collector import GCCollector
from prometheus_client.platform_collector import PlatformCollector
from prometheus_client.process_collector import ProcessCollector
from prometheus_client.registry import Collector

REGISTRY = CollectorRegistry()
ProcessCollector(registry=REGISTRY)  # CPU, memory, open files of this process
PlatformCollector(registry=REGISTRY)
GCCollector(registry=REGISTRY)

# A turn takes about a millisecond; a slow one (a big export) tens of milliseconds.
TURN_BUCKETS = (0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5)
# A send waits for its channel's budget: nothing, a token (35 ms at 28.5/s), a chat's second.
WAIT_BUCKETS = (0.001, 0.01, 0.05, 0.1, 0.5, 1.0, 2.0, 5.0, 15.0, 60.0)

TURNS = Counter(
    "biaogan_turns",
    "Chat turns handled, by channel and kind of event (text, command, button, other)",
    ["channel", "kind"],
    registry=REGISTRY,
)
TURN_FAILURES = Counter(
    "biaogan_turn_failures",
    "Turns rolled back (the store refused; the person was told to try again)",
    ["channel"],
    registry=REGISTRY,
)
TURN_SECONDS = Histogram(
    "biaogan_turn_seconds",
    "Time of one turn: the state loaded, the flows run, everything committed",
    ["channel"],
    buckets=TURN_BUCKETS,
    registry=REGISTRY,
)
SENDS = Counter(
    "biaogan_sends",
    "Messages sent, by transport, what they were (reply, reminders, deliveries, messages:"
    " the mail outbox) and outcome (sent, blocked, retry_after, transient, permanent)",
    ["transport", "source", "outcome"],
    registry=REGISTRY,
)
RATE_LIMITED = Counter(
    "biaogan_rate_limited",
    "Answers asking us to slow down (Telegram's 429), by transport",
    ["transport"],
    registry=REGISTRY,
)
RETRY_AFTER_SECONDS = Counter(
    "biaogan_retry_after_seconds",
    "Seconds the channels asked us to wait (the retry_after of each 429), by transport",
    ["transport"],
    registry=REGISTRY,
)
SEND_WAIT_SECONDS = Histogram(
    "biaogan_send_wait_seconds",
    "Time a send waited for its channel's budget (rate and a chat's gap), by transport",
    ["transport"],
    buckets=WAIT_BUCKETS,
    registry=REGISTRY,
)
ERRORS = Counter(
    "biaogan_errors",
    "Errors logged (unexpected exceptions and failures an operator should see), by module",
    ["logger"],
    registry=REGISTRY,
)
ADMIN_ALERTS = Counter(
    "biaogan_admin_alerts",
    "Error alerts to the admins: sent, or held back by the rate limit",
    ["state"],
    registry=REGISTRY,
)
WEBHOOK_REFUSED = Counter(
    "biaogan_webhook_refused",
    "Webhook requests refused: a wrong or missing secret token, a body that is not an update",
    ["reason"],
    registry=REGISTRY,
)


class StoreCollector(Collector):
    """What is read at each scrape from the service's store and dispatcher."""

    def __init__(self, service: Any) -> None:
        self.service = service

    def collect(self) -> Iterator[Metric]:
        from bot.store.ops import unanswered_count

        dispatcher = getattr(self.service, "dispatcher", None)
        depth = GaugeMetricFamily(
            "biaogan_outbox_due",
            "Outbox rows due and not yet sent (retries waiting included), by table",
            labels=["table"],
        )
        for source in getattr(dispatcher, "sources", []):
            depth.add_metric([source.outbox.table], source.outbox.due_count())
        yield depth
        yield GaugeMetricFamily(
            "biaogan_unanswered_questions",
            "Questions the assistant could not answer (all kept; organizers review them)",
            value=unanswered_count(self.service.store),
        )
        alive = dispatcher is not None and dispatcher.alive()
        yield GaugeMetricFamily(
            "biaogan_dispatcher_up", "1 while the dispatcher's workers run", value=int(alive)
        )
        looked = getattr(dispatcher, "looked", {}).get("reminders")
        if looked is not None:
            yield GaugeMetricFamily(
                "biaogan_reminder_sweep_age_seconds",
                "Seconds since the dispatcher last looked for due reminders",
                value=time.monotonic() - looked,
            )


def exposition(service: Any) -> bytes:
    """The text format of every metric: the process's and the service's."""
    per_service = CollectorRegistry()
    per_service.register(StoreCollector(service))
    return generate_latest(REGISTRY) + generate_latest(per_service)
