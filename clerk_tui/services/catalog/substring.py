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
answered exactly; its index then has one run per row (55,774 for the same names
shuffled), so it is kept compact whatever the order:

- each gram's runs are packed two bytes a run number (four past 65,536 runs) in a
  `bytes`, read through a `memoryview` at query time (no copy, unlike `array.frombytes`):
  not a tuple of `int` objects (a pointer alone is 8 bytes a run), and a `bytes`, unlike
  an `array`, is not tracked by the cyclic garbage collector, so however large the
  catalog the index adds a handful of containers to each collection;
- the runs themselves are three arrays (text, first row, row past the last), not an
  object per run.
"""

from __future__ import annotations

from array import array
from bisect import bisect_left
from collections import defaultdict, deque
from collections.abc import Iterable, Iterator, Sequence
from itertools import accumulate, chain, compress, groupby, repeat, takewhile
from operator import add
from typing import Literal

GRAM = 3  # longest substring indexed: a longer query is checked against the runs of its rarest


def grams(text: str) -> set[str]:
    """Every substring of `text` of one, two and three characters."""
    pairs = list(map(add, text, text[1:]))
    return {*text, *pairs, *map(add, pairs, text[2:])}


Code = Literal["H", "I"]  # two or four bytes an integer


def typecode(largest: int) -> Code:
    """The `array` type code holding integers from 0 to `largest`: two bytes if enough."""
    return "H" if largest < 1 << 16 else "I"


def packed(numbers: Iterable[int], code: Code) -> bytes:
    """Integers in a `bytes` (see the module's docstring); read back by `memoryview(b).cast(code)`."""
    return array(code, numbers).tobytes()


class SubstringIndex:
    """One text per row (row = position in `values`), searchable by substring and prefix."""

    def __init__(self, values: Sequence[str]) -> None:
        texts = sorted(set(values))
        number = {text: i for i, text in enumerate(texts)}
        self.texts = texts
        run_text: list[int] = []  # each run's text (its number in `texts`)
        bounds = [0]  # each run's first row, then the row past the last run
        for text, rows in groupby(values):
            run_text.append(number[text])
            bounds.append(bounds[-1] + len(list(rows)))
        row_code = typecode(len(values))
        self.run_text = array(typecode(len(texts)), run_text)
        self.run_start, self.run_end = array(row_code, bounds[:-1]), array(row_code, bounds[1:])
        self.code = code = typecode(len(run_text))  # of a run number
        text_runs: list[list[int]] = [[] for _ in texts]  # in row order
        deque(map(list.append, map(text_runs.__getitem__, run_text), range(len(run_text))), maxlen=0)
        # Each gram's texts, then its runs: those of its texts, merged into row order. (Not
        # gram by gram for each run: that is millions of appends when the runs are many.)
        gram_texts: defaultdict[str, list[int]] = defaultdict(list)
        for i, text in enumerate(texts):
            deque(map(list.append, map(gram_texts.__getitem__, grams(text)), repeat(i)), maxlen=0)
        runs_of = text_runs.__getitem__
        self.grams = {
            gram: packed(sorted(chain.from_iterable(map(runs_of, numbers))), code)
            for gram, numbers in gram_texts.items()
        }
        self.text_runs = [packed(runs, code) for runs in text_runs]

    def runs_containing(self, q: str) -> Sequence[int]:
        """The runs whose text contains `q` (not empty), in row order."""
        grams, code = self.grams, self.code
        if len(q) <= GRAM:
            return memoryview(grams.get(q, b"")).cast(code)
        rarest = b""
        for k in range(len(q) - GRAM + 1):
            runs = grams.get(q[k : k + GRAM])
            if runs is None:
                return ()
            if not rarest or len(runs) < len(rarest):
                rarest = runs
        candidates = memoryview(rarest).cast(code)
        texts = map(self.texts.__getitem__, map(self.run_text.__getitem__, candidates))
        return list(compress(candidates, map(str.__contains__, texts, repeat(q))))

    def rows_of(self, runs: Iterable[int]) -> Iterator[range]:
        """Each run's rows."""
        return map(range, map(self.run_start.__getitem__, runs), map(self.run_end.__getitem__, runs))

    def rows_equal(self, q: str) -> Iterable[int]:
        """The rows whose text is `q`."""
        i = bisect_left(self.texts, q)
        if i == len(self.texts) or self.texts[i] != q:
            return ()
        return chain.from_iterable(self.rows_of(memoryview(self.text_runs[i]).cast(self.code)))

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
        run_text = self.run_text
        # The runs read whole: those before the row count reaches `cap`.
        ends = list(takewhile(cap.__gt__, accumulate(map(len, self.rows_of(runs)))))
        taken = list(runs[: len(ends)])
        parts = list(self.rows_of(taken))
        more = False
        if len(taken) < len(runs):  # the run reaching `cap`, read in part
            last = runs[len(taken)]
            (rows,) = self.rows_of((last,))
            part = rows[: cap - (ends[-1] if ends else 0)]
            more = len(part) < len(rows) or len(taken) + 1 < len(runs)
            taken.append(last)
            parts.append(part)
        starting = self.texts_starting(q)
        prefix = compress(parts, map(starting.__contains__, map(run_text.__getitem__, taken)))
        return chain.from_iterable(parts), chain.from_iterable(prefix), more
