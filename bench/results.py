"""One line per benchmark figure, for `bench.all`'s table.

Each benchmark prints its own report and, at its end, hands its headline figures to
`record`: what was measured, the app's figure, the baseline measured in the same run, the
ratio between them, the goal and whether it was met. When `bench.all` runs it, the lines
go (as JSON) to the file named by $CLERK_BENCH_RESULTS; run on its own, a benchmark prints
them as the README table's rows.
"""

from __future__ import annotations

import json
import os
from dataclasses import asdict, dataclass

RESULTS_ENV = "CLERK_BENCH_RESULTS"
COLUMNS = ("metric", "command", "app", "baseline", "ratio", "goal", "result")


@dataclass(frozen=True)
class Result:
    metric: str  # what was measured, e.g. "call next, 500 waiting: p95"
    command: str  # how to measure it again
    app: str  # clerk-tui's figure, with its unit
    baseline: str  # the honest floor measured in the same run, with what it is
    ratio: float | None  # app / baseline (None where the two are not comparable)
    goal: str
    met: bool

    def cells(self) -> list[str]:
        ratio = "—" if self.ratio is None else f"{self.ratio:.2f}x"
        return [
            self.metric,
            f"`{self.command}`",
            self.app,
            self.baseline,
            ratio,
            self.goal,
            "met" if self.met else "MISSED",
        ]


def markdown(results: list[Result]) -> str:
    lines = ["| " + " | ".join(COLUMNS) + " |", "|" + "---|" * len(COLUMNS)]
    lines += ["| " + " | ".join(c.replace("|", "\\|") for c in r.cells()) + " |" for r in results]
    return "\n".join(lines)


def record(*results: Result) -> None:
    """Hand the figures to `bench.all` (or print them, run alone)."""
    path = os.environ.get(RESULTS_ENV)
    if path:
        with open(path, "a", encoding="utf-8") as out:
            for r in results:
                out.write(json.dumps(asdict(r), ensure_ascii=False) + "\n")
        return
    print()
    print(markdown(list(results)))


def read(path: str) -> list[Result]:
    with open(path, encoding="utf-8") as source:
        return [Result(**json.loads(line)) for line in source if line.strip()]
