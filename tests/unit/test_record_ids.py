"""Record ids are made in time order (clerk_tui.models.base.new_id): a new row's key goes
beside the last one's in each index, not on a random page of a ten-year index (issue 15)."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlmodel import select

from clerk_tui.models import Ticket
from clerk_tui.models.base import new_id
from clerk_tui.services.context import Station
from clerk_tui.services.queue.tickets import issue_ticket


def test_ids_made_one_after_another_sort_in_the_order_made() -> None:
    ids = [new_id() for _ in range(2000)]
    assert ids == sorted(ids)
    assert len(set(ids)) == len(ids)
    for text in ids[:50]:
        parsed = uuid.UUID(text)
        assert parsed.version == 7
        assert str(parsed) == text  # the same 36-character text as before


def test_an_id_begins_with_the_time_it_was_made() -> None:
    before = datetime.now().timestamp()
    made = uuid.UUID(new_id()).int >> 80  # RFC 9562: the first 48 bits, Unix milliseconds
    assert before * 1000 - 1 <= made <= (datetime.now().timestamp() + 60) * 1000


def test_stored_tickets_keep_their_issue_order_in_their_ids(station: Station) -> None:
    issued = [issue_ticket(station, "A").id for _ in range(5)]
    with station.read() as session:
        stored = list(session.exec(select(Ticket.id).order_by(Ticket.id)))
    assert stored == issued
