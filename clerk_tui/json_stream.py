"""Reading a big JSON file piece by piece, in memory that does not grow with the file.

`json.loads` holds the whole text and every object made from it at once: a 100 MB
catalog becomes more than a gigabyte. `members()` walks the file's top-level object
instead. Each member's value is decoded whole, except the arrays named in `stream`,
whose elements come one at a time, and the members not in `keep`, checked and dropped.
No value may be larger than its limit (a member `max_value` characters, an element of a
streamed array `max_item`), so memory stays bounded whatever the file holds.

The text is what `json.loads(raw.decode("utf-8-sig"))` accepts, the same numbers,
strings and errors (reported with the line and column, as `json` does), plus two
refusals of its own: a value over its limit, and a top-level key given twice (which
`json.loads` would silently resolve to the last one). A leaf module: it imports nothing
else of this program.
"""

from __future__ import annotations

import codecs
import hashlib
import json
import re
from collections.abc import Callable, Collection, Iterator
from typing import Any, BinaryIO, NoReturn

CHUNK = 1 << 16
_WHITESPACE = re.compile(r"[ \t\n\r]*")
# A value that ends, or fails, this close to the end of what has been read may only need
# more of the file: "1." is the start of "1.5", and "\u12" of an escape.
_TAIL = 16
_SKIP_DEPTH = 8  # deeper than this, a skipped value is decoded whole (within its limit)


class JsonStreamError(ValueError):
    """Not valid JSON; `line` and `column` (1-based) say where, `reason` says what."""

    def __init__(self, reason: str, line: int = 0, column: int = 0) -> None:
        self.reason, self.line, self.column = reason, line, column
        where = f": line {line} column {column}" if line else ""
        super().__init__(reason + where)


class NotUtf8Error(JsonStreamError):
    """The bytes are not UTF-8."""


class ValueTooLargeError(JsonStreamError):
    """A value is longer than the limit (in characters) the caller set for it."""

    def __init__(self, limit: int, line: int, column: int) -> None:
        self.limit = limit
        super().__init__(f"a value is longer than {limit} characters", line, column)


class NotAnObjectError(Exception):
    """The file is valid JSON, but its top level is not an object."""


class Items:
    """The elements of a streamed array, one at a time (iterate once)."""

    def __init__(self, reader: JsonReader, limit: int) -> None:
        self._iterator = reader.array(limit)

    def __iter__(self) -> Iterator[Any]:
        return self._iterator

    def drain(self) -> None:
        for _ in self._iterator:
            pass


class JsonReader:
    """A window on a UTF-8 byte stream: what has been read and not yet consumed."""

    def __init__(self, handle: BinaryIO, on_read: Callable[[int], None] | None = None) -> None:
        self._handle = handle
        self._decoder = codecs.getincrementaldecoder("utf-8-sig")()
        self._on_read = on_read
        self._buf = ""
        self._pos = 0
        self._eof = False
        self._line = 1  # the line of _buf[0]
        self._column = 0  # characters before _buf[0] on that line
        self._scan = json.JSONDecoder().raw_decode
        self.bytes_read = 0
        self.sha256 = hashlib.sha256()  # of every byte read: a second pass can check it saw the same file

    def _fill(self, at_least: int = CHUNK) -> None:
        if self._pos > CHUNK:  # drop what has been consumed, keeping track of where it ended
            gone = self._buf[: self._pos]
            newline = gone.rfind("\n")
            if newline >= 0:
                self._line += gone.count("\n")
                self._column = len(gone) - newline - 1
            else:
                self._column += len(gone)
            self._buf, self._pos = self._buf[self._pos :], 0
        raw = self._handle.read(max(at_least, CHUNK))
        try:
            if raw:
                self.bytes_read += len(raw)
                self.sha256.update(raw)
                text = self._decoder.decode(raw)
            else:
                self._eof = True
                text = self._decoder.decode(b"", final=True)
        except UnicodeDecodeError as exc:
            raise NotUtf8Error(str(exc)) from None
        self._buf += text
        if raw and self._on_read is not None:
            self._on_read(self.bytes_read)

    def where(self, pos: int) -> tuple[int, int]:
        """Line and column (1-based, in characters) of a position in the window."""
        newline = self._buf.rfind("\n", 0, pos)
        if newline < 0:
            return self._line, self._column + pos + 1
        return self._line + self._buf.count("\n", 0, pos), pos - newline

    def fail(self, reason: str, pos: int | None = None) -> NoReturn:
        raise JsonStreamError(reason, *self.where(self._pos if pos is None else pos))

    def peek(self) -> str:
        """The next character after whitespace ("" at the end of the file), not consumed."""
        while True:
            self._pos = _WHITESPACE.match(self._buf, self._pos).end()  # type: ignore[union-attr]
            if self._pos < len(self._buf):
                return self._buf[self._pos]
            if self._eof:
                return ""
            self._fill()

    def take(self, char: str) -> None:
        if self.peek() != char:
            self.fail("Expecting value" if char in "[{" else f"Expecting '{char}' delimiter")
        self._pos += 1

    def value(self, limit: int) -> Any:
        """Decode the value that starts here (after whitespace); at most `limit` characters."""
        self.peek()
        while True:
            start = self._pos
            try:
                obj, end = self._scan(self._buf, start)
            except json.JSONDecodeError as exc:
                cut_short = exc.pos >= len(self._buf) - _TAIL or exc.msg.startswith("Unterminated string")
                if self._eof or not cut_short:
                    self.fail(exc.msg, exc.pos)
                if len(self._buf) - start > limit:
                    raise ValueTooLargeError(limit, *self.where(start)) from None
                self._fill(len(self._buf) - start)  # doubles what is held of a long value
                continue
            except RecursionError:
                self.fail("nesting too deep", start)
            except ValueError as exc:  # a number of more than 4300 digits
                self.fail(str(exc)[:80], start)
            if end - start > limit:
                raise ValueTooLargeError(limit, *self.where(start))
            if end > len(self._buf) - _TAIL and not self._eof:
                self._fill()  # "12" or "1." may be the start of a longer number: decode it again
                continue
            self._pos = end
            return obj

    def array(self, limit: int, *, skip_all: bool = False, depth: int = 0) -> Iterator[Any]:
        """The elements of the array that starts here, each decoded whole (or skipped)."""
        self.take("[")
        if self.peek() == "]":
            self.take("]")
            return
        while True:
            if skip_all:
                self.skip(limit, depth)
            else:
                yield self.value(limit)
            if self.peek() == ",":
                self.take(",")
                if self.peek() in ("]", ""):  # a trailing comma
                    self.fail("Expecting value")
            elif self.peek() == "]":
                self.take("]")
                return
            else:
                self.fail("Expecting ',' delimiter")

    def skip(self, limit: int, depth: int = 0) -> None:
        """Check and drop the value that starts here, a piece at a time: no piece is held
        whole unless it is nested deeper than _SKIP_DEPTH (and then it must fit `limit`)."""
        first = self.peek()
        if first == "[" and depth < _SKIP_DEPTH:
            for _ in self.array(limit, skip_all=True, depth=depth + 1):
                pass  # nothing is yielded: every element is skipped
        elif first == "{" and depth < _SKIP_DEPTH:
            for _ in self.object(limit, limit, skip_all=True, depth=depth + 1):
                pass  # nothing is yielded: every member is skipped
        else:
            self.value(limit)

    def end(self) -> None:
        if self.peek() != "":
            self.fail("Extra data")

    def object(
        self,
        max_value: int,
        max_item: int,
        stream: Collection[str] = (),
        keep: Collection[str] | None = None,
        *,
        skip_all: bool = False,
        depth: int = 0,
    ) -> Iterator[tuple[str, Any]]:
        """The members of the object that starts here (see `members`)."""
        self.take("{")
        if self.peek() == "}":
            self.take("}")
            return
        seen: set[str] = set()
        while True:
            if self.peek() != '"':
                self.fail("Expecting property name enclosed in double quotes")
            key_at = self._pos
            key = self.value(max_value)
            if not skip_all:
                if key in seen:
                    self.fail(f"duplicate key {key!r}", key_at)
                seen.add(key)
            self.take(":")
            if skip_all or (keep is not None and key not in keep and key not in stream):
                self.skip(max_item, depth)
            elif key in stream and self.peek() == "[":
                items = Items(self, max_item)
                yield key, items
                items.drain()  # what the caller did not read
            else:
                yield key, self.value(max_value)
            if self.peek() == ",":
                self.take(",")
            elif self.peek() == "}":
                self.take("}")
                return
            else:
                self.fail("Expecting ',' delimiter")


def members(
    reader: JsonReader,
    *,
    stream: Collection[str] = (),
    keep: Collection[str] | None = None,
    max_value: int,
    max_item: int,
) -> Iterator[tuple[str, Any]]:
    """The top-level object's members in file order: (key, value), or (key, `Items`) for a
    key in `stream` whose value is an array. When `keep` is given, other keys are checked
    but not yielded (their values are never held whole).
    A member's value may be `max_value` characters long, an element of an array `max_item`.

    Raises NotAnObjectError when the file is valid JSON of another kind (a list, a number).
    """
    if reader.peek() != "{":
        reader.skip(max_item)
        reader.end()
        raise NotAnObjectError
    yield from reader.object(max_value, max_item, stream, keep)
    reader.end()
