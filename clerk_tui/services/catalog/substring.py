"""Which rows of one text column contain a fragment, or start with it, without reading them all.

A province's catalog repeats itself: its 55,789 matters have about 6,000 different names,
the same matter offered county by county, and in catalog (code) order a name's counties
follow one another. So the index works on runs, a run being consecutive rows with the
same text (6,154 runs for the 55,789 names):

- an n-gram index over the runs: every substring of one to three characters of a run's
  text lists the runs holding it, in row order, so a query of up to three characters is
  one look-up, and a longer one checks only the runs of its rarest three characters;
- the distinct texts, sorted, so the texts starting with the query are one stretch of
  them (two bisections).

Each answer is what reading every row in order would give (the tests compare the two):
the first `cap` rows containing the query, those of them starting with it, and whether
more rows contain it. A catalog without runs (names changing from row to row) is still
answered exactly; its index is then as large as one over the rows.

The many small lists (each gram's runs) are tuples of integers, which the cyclic garbage
collector stops tracking (an `array` it tracks), so however large the catalog the index
adds a handful of containers to each collection.
"""

from __future__ import annotations

from bisect import bisect_left
from collections import defaultdict, deque
from collections.abc import Iterable, Sequence
from itertools import accumulate, chain, compress, groupby, repeat, takewhile
from operator import add

GRAM = 3  # longest substring indexed: a longer query is checked against the runs of its rarest


def grams(text: str) -> set[str]:
    """Every substring of `text` of one, two and three characters."""
    pairs = list(map(add, text, text[1:]))
    return {*text, *pairs, *map(add, pairs, text[2:])}


class SubstringIndex:
    """One text per row (row = position in `values`), searchable by substring and prefix."""

    def __init__(self, values: Sequence[str]) -> None:
        texts = sorted(set(values))
        number = {text: i for i, text in enumerate(texts)}
        self.texts = texts
        run_text: list[int] = []  # each run's text (its number in `texts`)
        run_rows: list[range] = []  # each run's rows
        start = 0
        for text, rows in groupby(values):
            end = start + len(list(rows))
            run_text.append(number[text])
            run_rows.append(range(start, end))
            start = end
        self.run_text, self.run_rows = run_text, run_rows
        texts_grams = [grams(text) for text in texts]
        text_runs: list[list[int]] = [[] for _ in texts]
        postings: defaultdict[str, list[int]] = defaultdict(list)
        for run, number_ in enumerate(run_text):  # in row order, so each posting list comes out sorted
            text_runs[number_].append(run)
            # postings[gram].append(run) for each gram of the run's text, at C speed (a million of them)
            deque(map(list.append, map(postings.__getitem__, texts_grams[number_]), repeat(run)), maxlen=0)
        self.text_runs = [tuple(runs) for runs in text_runs]
        self.grams = {gram: tuple(runs) for gram, runs in postings.items()}

    def runs_containing(self, q: str) -> Sequence[int]:
        """The runs whose text contains `q` (not empty), in row order."""
        if len(q) <= GRAM:
            return self.grams.get(q, ())
        rarest: Sequence[int] = ()
        for k in range(len(q) - GRAM + 1):
            runs = self.grams.get(q[k : k + GRAM])
            if runs is None:
                return ()
            if not rarest or len(runs) < len(rarest):
                rarest = runs
        texts = map(self.texts.__getitem__, map(self.run_text.__getitem__, rarest))
        return list(compress(rarest, map(str.__contains__, texts, repeat(q))))

    def rows_equal(self, q: str) -> Iterable[int]:
        """The rows whose text is `q`."""
        i = bisect_left(self.texts, q)
        if i == len(self.texts) or self.texts[i] != q:
            return ()
        return chain.from_iterable(map(self.run_rows.__getitem__, self.text_runs[i]))

    def texts_starting(self, q: str) -> range:
        """The numbers of the distinct texts starting with `q`: one stretch, the texts being sorted."""
        texts = self.texts
        lo = bisect_left(texts, q)
        return range(lo, bisect_left(texts, True, lo, key=lambda text: not text.startswith(q)))

    def find(self, q: str, cap: int) -> tuple[Iterable[int], Iterable[int], bool]:
        """(the first `cap` rows containing q, those of them starting with q, more rows contain q?).

        The rows come as iterables to read once: the caller puts them in sets.
        """
        runs = self.runs_containing(q)
        run_rows, run_text = self.run_rows, self.run_text
        # The runs read whole: those before the row count reaches `cap`.
        ends = list(takewhile(cap.__gt__, accumulate(map(len, map(run_rows.__getitem__, runs)))))
        taken = list(runs[: len(ends)])
        parts = list(map(run_rows.__getitem__, taken))
        more = False
        if len(taken) < len(runs):  # the run reaching `cap`, read in part
            last = runs[len(taken)]
            part = run_rows[last][: cap - (ends[-1] if ends else 0)]
            more = len(part) < len(run_rows[last]) or len(taken) + 1 < len(runs)
            taken.append(last)
            parts.append(part)
        starting = self.texts_starting(q)
        prefix = compress(parts, map(starting.__contains__, map(run_text.__getitem__, taken)))
        return chain.from_iterable(parts), chain.from_iterable(prefix), more
