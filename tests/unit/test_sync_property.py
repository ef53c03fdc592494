"""Property: any interleaving of edits and exports, merged in any order, gives the centre the station's latest state."""

from __future__ import annotations

import tempfile
from dataclasses import replace
from datetime import datetime
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from clerk_tui.clock import FixedClock
from clerk_tui.models import Ticket, WindowEvent
from clerk_tui.services.queue.tickets import issue_ticket
from clerk_tui.services.station.setup import DEMO_SETTINGS, open_station
from clerk_tui.services.sync.export import export_bundle
from clerk_tui.services.sync.merge import merge_bundles
from tests.sync_helpers import make_centre, same_data, trust

OPS = st.one_of(
    st.just(("ticket",)),
    st.tuples(st.just("edit"), st.integers(0, 50)),
    st.just(("pause",)),
    st.just(("export",)),
    st.just(("export_all",)),
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(ops=st.lists(OPS, min_size=1, max_size=14), order=st.randoms(use_true_random=False))
def test_any_interleaving_merged_in_any_order_ends_in_the_latest_state(ops, order) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        base = Path(tmp)
        clock = FixedClock(datetime(2026, 11, 24, 9, 0))
        station = open_station(replace(DEMO_SETTINGS, data_dir=base, database=base / "s.db"), clock)
        out = base / "usb"
        out.mkdir()
        centre = make_centre(base)
        trust(centre, station)
        bundles = []
        tickets: list[str] = []
        for op in ops:
            clock.advance(seconds=7)
            if op[0] == "ticket":
                tickets.append(issue_ticket(station, "A").id)
            elif op[0] == "edit" and tickets:
                with station.write() as session:
                    ticket = session.get(Ticket, tickets[op[1] % len(tickets)])
                    ticket.note = f"{ticket.note}+"
                    ticket.call_count += 1
            elif op[0] == "pause":
                with station.write() as session:
                    session.add(
                        WindowEvent(
                            station_id=station.settings.station_id,
                            window_no=1,
                            kind="pause",
                            reason="休息",
                            at=clock.now(),
                        )
                    )
            elif op[0] in ("export", "export_all"):
                result = export_bundle(station, out, full=op[0] == "export_all")
                if result is not None:
                    bundles.append(result.path)
        final = export_bundle(station, out)
        if final is not None:
            bundles.append(final.path)
        order.shuffle(bundles)
        try:
            for path in bundles:  # one at a time, so the order really is the shuffled one
                assert merge_bundles(centre, [path]).ok
            assert same_data(station.settings.database_path, base / "centre.db")
            # Merging everything again changes nothing.
            assert all(
                c.new == c.updated == 0 for b in merge_bundles(centre, bundles).bundles for c in b.counts.values()
            )
        finally:
            centre.close()
            station.close()
