"""Ticket numbers past 999 (issue 18, item 4): A999 is followed by A1000, in call order too.

Numbers are the letter plus the day's serial, at least three digits (`A001`); the
1,000th ticket of a queue in a day widens to four (`A1000`) and a queue stops at
`MAX_SERIAL` (9999) tickets a day with one clear line in the clerk's language.
"""

from __future__ import annotations

from sqlmodel import col, delete, select

from clerk_tui.clock import FixedClock
from clerk_tui.errors import ClerkError
from clerk_tui.i18n import set_language
from clerk_tui.models import Counter, Ticket
from clerk_tui.services.cases.history import HistoryQuery, interpret
from clerk_tui.services.context import Station
from clerk_tui.services.queue import calling
from clerk_tui.services.queue.tickets import MAX_SERIAL, format_number, issue_ticket, list_tickets
from clerk_tui.services.queue.views import load_board, load_queue_view
from clerk_tui.services.reports.period import day
from clerk_tui.services.reports.report import build_report
from tests.busy_day import fill
from tests.conftest import table_counts


def test_numbers_widen_to_four_digits_only_when_needed() -> None:
    assert [format_number("A", n) for n in (1, 99, 999, 1000, 9999)] == ["A001", "A099", "A999", "A1000", "A9999"]
    assert MAX_SERIAL == 9999


def test_the_1000th_ticket_of_a_queue_is_a1000(station: Station) -> None:
    fill(station, "A", 999, status="done")
    thousandth = issue_ticket(station, "A")
    assert (thousandth.number, thousandth.serial) == ("A1000", 1000)
    assert issue_ticket(station, "A").number == "A1001"
    assert issue_ticket(station, "B").number == "B001"  # each queue counts on its own


def test_a1000_is_called_after_a999(station: Station) -> None:
    """Issued in the same instant, A999 and A1000 are told apart by their serial, never by
    their text (as text, "A1000" sorts before "A999")."""
    fill(station, "A", 998, status="done")
    a999, a1000, a1001 = fill(station, "A", 3)
    assert (a999.number, a1000.number, a1001.number) == ("A999", "A1000", "A1001")
    assert [t.number for t in list_tickets(station)] == ["A999", "A1000", "A1001"]
    assert [t.number for t in list_tickets(station, everything=True)][-3:] == ["A999", "A1000", "A1001"]
    view = load_queue_view(station)
    assert [t.number for t in view.waiting] == ["A999", "A1000", "A1001"] and view.next_id == a999.id
    assert calling.call_next(station).number == "A999"
    calling.finish(station)
    assert calling.call_next(station).number == "A1000"
    assert [(c.number, c.window_no) for c in load_board(station, 5).calls] == [("A1000", 3), ("A999", 3)]
    calling.finish(station)
    assert calling.call_specific(station, " a1001", "asked at the desk").number == "A1001"  # found by its text


def test_a_full_day_is_refused_in_both_languages_and_nothing_is_written(station: Station) -> None:
    issue_ticket(station, "A")
    with station.write() as session:
        last = session.exec(select(Ticket).where(col(Ticket.number) == "A001")).one()
        last.serial, last.number = MAX_SERIAL, format_number("A", MAX_SERIAL)
        # As a database made before ticket counters: the day's counter is seeded from its
        # tickets (the edited A9999) when the next number is asked for.
        session.execute(delete(Counter).where(col(Counter.name).startswith("ticket:")))
    before = table_counts(station.settings.database)
    try:
        issue_ticket(station, "A")
    except ClerkError as exc:
        error = exc
    else:
        raise AssertionError("the 10,000th ticket was issued")
    assert error.key == "ticket.day_full"
    assert error.message() == "队列 A 今日已发出 9999 个号（至 A9999），已达每日上限，请改取其他队列的号"
    set_language("en")
    try:
        assert error.message() == (
            "Queue A has issued its 9999 numbers for today (up to A9999), the most a queue issues "
            "in a day: take a number of another queue"
        )
    finally:
        set_language("zh")
    assert table_counts(station.settings.database) == before
    assert issue_ticket(station, "B").number == "B001"  # other queues go on


def test_reports_count_tickets_past_999(station: Station, clock: FixedClock) -> None:
    fill(station, "A", 999, status="done")
    issue_ticket(station, "A")
    issue_ticket(station, "A")
    tickets = build_report(station, "daily", day(clock.today())).tickets
    assert tickets is not None
    (line,) = tickets.lines
    assert (line.queue, line.issued, line.served) == ("A", 1001, 999)
    assert tickets.total.issued == 1001 and sum(tickets.arrivals_by_hour) == 1001


def test_the_history_search_takes_a_four_digit_ticket_number() -> None:
    assert interpret(HistoryQuery(text="a1000")).ticket_number == "A1000"
    assert interpret(HistoryQuery(text="A999")).ticket_number == "A999"
    assert interpret(HistoryQuery(text="A10000")).ticket_number == ""
