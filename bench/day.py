"""A clerk's day through the Textual Pilot, watching the process's memory.

One process runs the app headless at 80x24 on a small station made here (the bundled
catalog, an empty queue: NOT the generated 10-year database) and a fixed clock moved on
by hand. The day: tickets arrive at the kiosk (issued through the service), the clerk
presses F2 for each; most become a case the way the window does one (D check documents,
the matter by number, the answers, Enter, the case form, Ctrl+S, the rating), the rest
are served and finished (F4, F5) or marked no-show (F6). Every few calls the clerk looks
at another screen (catalog, history, pending, reports, sync, F1 help) and comes back.

RSS is printed after start-up (once the first calls have warmed the caches) and at the
end, after a full garbage collection, and the peak; the goal is growth under 15 MB for
the day. `--trace` adds tracemalloc's top growth sites between the two points (slower).

    python -m bench.day [--calls 500] [--cases 300] [--trace] [--language zh|en]
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import sys
import tempfile
import time
import tracemalloc
from dataclasses import replace
from datetime import datetime
from pathlib import Path

from bench.results import Result, record

DAY_START = datetime(2026, 11, 24, 8, 30)  # an ordinary Tuesday inside the bundled calendar
VALID_RID = "11010519491231002X"
MATTER = "城乡居民基本养老保险参保登记"  # offered by number on queue B: no search typed
SCREENS = ("c", "h", "p", "r", "s", "f1")  # catalog, history, pending, reports, sync, help
# "After start" is measured once the first calls have been through every screen once: the
# first visit to a screen imports its module and fills Textual's style caches, which is
# start-up, not the day's growth.
WARM_UP_CALLS = 30


def rss_mb() -> float:
    """Resident set size now, in MB (Linux /proc; psutil elsewhere when installed)."""
    try:
        with open("/proc/self/statm", encoding="ascii") as handle:
            import os

            return int(handle.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20
    except OSError:
        import psutil  # type: ignore[import-not-found]

        return psutil.Process().memory_info().rss / 2**20


def peak_mb() -> float:
    try:
        import resource

        scale = 1 if sys.platform == "darwin" else 1024  # bytes on macOS, KiB on Linux
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * scale / 2**20
    except ImportError:  # Windows
        import psutil  # type: ignore[import-not-found]

        return psutil.Process().memory_info().peak_wset / 2**20


def make_station(folder: Path, language: str):  # type: ignore[no-untyped-def]
    from clerk_tui.clock import FixedClock
    from clerk_tui.resources import bundled_catalog
    from clerk_tui.services.catalog.importer import import_catalog_file
    from clerk_tui.services.station.setup import DEMO_SETTINGS, open_station

    settings = replace(
        DEMO_SETTINGS, language=language, data_dir=folder, database=folder / "day.db", extra={"backup": {"keep": 0}}
    )  # no daily copy: memory, not the disk
    station = open_station(settings, FixedClock(DAY_START))
    import_catalog_file(station, bundled_catalog())
    return station


async def settle(pilot) -> None:  # type: ignore[no-untyped-def]
    """Until the keys are handled and the database workers are done. (Not `pilot.pause()`: it
    forces a full repaint each time, which a real terminal would not do and which would make
    the day last an hour.)"""
    from textual._wait import wait_for_idle
    from textual.worker import WorkerCancelled

    await wait_for_idle(0)
    while True:
        try:
            await pilot.app.workers.wait_for_complete()
            break
        except WorkerCancelled:  # an exclusive worker replaced by a newer one: wait for that
            pass
    await wait_for_idle(0)


class Day:
    def __init__(self, pilot, station, calls: int, cases: int) -> None:  # type: ignore[no-untyped-def]
        self.pilot, self.station, self.app = pilot, station, pilot.app
        self.calls, self.cases = calls, cases
        self.done_calls = self.done_cases = 0

    def screen(self) -> str:
        return type(self.app.screen).__name__

    async def press(self, *keys: str) -> None:
        for key in keys:
            await self.pilot.press(key)
            await settle(self.pilot)

    async def type(self, text: str) -> None:
        """Text arrives as one paste (a card reader's speed): this measures memory, not typing."""
        from textual import events

        self.app.screen.focused.post_message(events.Paste(text))
        await settle(self.pilot)

    async def expect(self, name: str) -> None:
        for _ in range(100):
            if self.screen() == name:
                return
            await asyncio.sleep(0.01)
            await settle(self.pilot)
        raise RuntimeError(f"expected {name}, on {self.screen()} after {self.done_calls} calls")

    async def one_call(self, index: int) -> None:
        from clerk_tui.services.queue.tickets import issue_ticket

        clock = self.station.clock
        clock.advance(seconds=50)
        # A case takes a queue-B ticket (its matters are offered by number); the others any queue.
        as_case = (
            self.done_cases < self.cases
            and (index * self.cases) // self.calls != ((index + 1) * self.cases) // self.calls
        )
        issue_ticket(self.station, "B" if as_case else "AC"[index % 2], "green" if index % 25 == 0 else "normal")
        await self.press("f2")
        main = self.app.screen
        if main.view is None or main.view.current is None:
            raise RuntimeError(f"nothing called at call {index}")
        clock.advance(seconds=30)
        if as_case:
            await self.serve_case()
            self.done_cases += 1
        elif index % 10 == 3:
            await self.press("f6")  # no-show
        else:
            await self.press("f4")
            clock.advance(minutes=2)
            await self.press("f5")
        await self.expect("MainScreen")
        self.done_calls += 1
        if index % 5 == 4:
            await self.look_around(SCREENS[(index // 5) % len(SCREENS)])

    async def serve_case(self) -> None:
        await self.press("d")
        await self.expect("QueueMatterChoice")
        names = [m.name for m in self.app.screen.matters]
        await self.press(str(names.index(MATTER) + 1))
        await self.expect("CheckScreen")
        await self.press("n", "a", "enter")  # no government payment; the rest given; save
        await self.expect("CaseFormScreen")
        await self.type("王小明")
        await self.press("enter")
        await self.type(VALID_RID)
        self.station.clock.advance(minutes=3)
        await self.press("ctrl+s")
        await self.expect("RatingPrompt")
        await self.press(str(5 - self.done_cases % 5))  # some 1s and 2s: follow-ups open too

    async def look_around(self, key: str) -> None:
        await self.press(key)
        if key == "c":
            await self.type("shb")
        elif key == "r":
            await self.press("m", "4", "d")
        await self.press("escape")
        await self.expect("MainScreen")


def report_growth(before: tracemalloc.Snapshot, after: tracemalloc.Snapshot, top: int) -> None:
    print(f"\ntracemalloc: top {top} growth sites (start → end)")
    for stat in after.compare_to(before, "traceback")[:top]:
        frame = stat.traceback[0]
        print(f"  {stat.size_diff / 1024:+9.1f} KiB {stat.count_diff:+7d} blocks  {frame.filename}:{frame.lineno}")
        for line in stat.traceback.format()[2::2]:
            print("        " + line.strip())


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.day", description=__doc__.split("\n\n")[0])
    parser.add_argument("--calls", type=int, default=500)
    parser.add_argument("--cases", type=int, default=300)
    parser.add_argument("--language", choices=("zh", "en"), default="zh")
    parser.add_argument("--trace", action="store_true", help="tracemalloc top growth sites (slower)")
    parser.add_argument("--top", type=int, default=15)
    parser.add_argument("--frames", type=int, default=4, help="stack frames kept per allocation with --trace")
    args = parser.parse_args(argv)
    if args.cases > args.calls:
        parser.error("--cases cannot exceed --calls")

    from clerk_tui.app import make_app

    folder = Path(tempfile.mkdtemp(prefix="clerk-day-"))
    station = make_station(folder, args.language)
    app = make_app(station.settings, station=station)
    figures: dict[str, float] = {}
    snapshots: list[tracemalloc.Snapshot] = []

    def mark(name: str) -> None:
        gc.collect()
        figures[name] = rss_mb()
        if args.trace:
            snapshots.append(tracemalloc.take_snapshot())

    async def run(pilot) -> None:  # type: ignore[no-untyped-def]
        await settle(pilot)
        day = Day(pilot, station, args.calls, args.cases)
        started = time.perf_counter()
        for index in range(args.calls):
            if index == min(WARM_UP_CALLS, args.calls // 2):
                mark("start")
            await day.one_call(index)
        figures["seconds"] = time.perf_counter() - started
        mark("end")
        figures["screens"] = len(app.screen_stack)
        figures["notifications"] = len(app._notifications)
        figures["workers"] = len(app.workers)
        figures["widgets"] = sum(1 for _ in app.screen.walk_children(with_self=True))
        figures["calls"], figures["cases"] = day.done_calls, day.done_cases
        app.exit()

    if args.trace:
        tracemalloc.start(args.frames)
    app.run(headless=True, size=(80, 24), auto_pilot=run)
    if "end" not in figures:
        print("the day did not finish", file=sys.stderr)
        return 1
    station.close()

    growth = figures["end"] - figures["start"]
    print(f"station: fresh demo station in {folder} (bundled catalog), language {args.language}, 80x24 headless")
    print(
        f"day: {figures['calls']:.0f} calls, {figures['cases']:.0f} cases with checks and ratings, "
        f"screens switched every 5 calls, in {figures['seconds']:.0f} s"
    )
    print(f"RSS after start ({WARM_UP_CALLS} calls) {figures['start']:7.1f} MB")
    print(f"RSS at the end              {figures['end']:7.1f} MB")
    print(f"peak RSS                    {peak_mb():7.1f} MB")
    print(f"growth                      {growth:+7.1f} MB   goal < 15 MB: {'met' if growth < 15 else 'MISSED'}")
    print(
        f"left at the end: {figures['screens']:.0f} screens on the stack, {figures['widgets']:.0f} widgets on "
        f"the main screen, {figures['notifications']:.0f} notifications, {figures['workers']:.0f} workers"
    )
    record(
        Result(
            "a clerk's whole day through the Pilot: RSS growth",
            "python -m bench.day",
            f"{figures['end']:.1f} MB at the end ({growth:+.1f} MB)",
            f"after start and {WARM_UP_CALLS} calls: {figures['start']:.1f} MB",
            figures["end"] / figures["start"],
            "growth < 15 MB",
            growth < 15,
        )
    )
    if args.trace:
        report_growth(snapshots[0], snapshots[1], args.top)
    return 0


if __name__ == "__main__":
    sys.exit(main())
