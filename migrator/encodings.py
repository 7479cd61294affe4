"""Which declared encodings a file may be rewritten in: those that give its bytes back.

A PEP 263 cookie may name any codec Python knows, including ones that are not text encodings
at all (``rot13``, ``hex``: bytes-to-bytes transforms ``bytes.decode`` refuses) and text
encodings whose encoder does not reproduce the decoder's input: ``unicode_escape`` writes
every newline back as ``\\n`` (the file collapses onto one line), ``utf-7`` may spell the same
characters in other bytes. A rewrite is only as faithful as its encoder, so a file is
migrated only when encoding its text, line by line as Python splits lines, gives back exactly
its bytes: then a line the rewrite leaves alone is written back byte for byte, and a file that
fails the test is reported (CM902) and never written.
"""

from __future__ import annotations

import codecs

from codemods.python.lines import physical_lines

# Stateless encodings whose strict decoder accepts only what the encoder writes: decoding
# and encoding give the same bytes, line by line, without checking (most files are these).
FAITHFUL = frozenset({"utf-8", "utf-8-sig", "ascii", "iso8859-1"})


class Unfaithful(Exception):
    """Why a file cannot be migrated in its declared encoding."""


def text_codec(encoding: str) -> str:
    """The codec's canonical name; raises ``Unfaithful`` for a codec that is not a text
    encoding (``rot13``, ``hex``, ``zlib``: their output is not text)."""
    info = codecs.lookup(encoding)
    if not getattr(info, "_is_text_encoding", True):
        raise Unfaithful(f"the coding declaration names {encoding}, which is not a text encoding")
    return info.name


def check_round_trip(raw: bytes, text: str, encoding: str) -> None:
    """Raise ``Unfaithful`` unless ``text`` (``raw`` decoded as ``encoding``), encoded line by
    line, is ``raw`` again."""
    if codecs.lookup(encoding).name in FAITHFUL:
        return
    try:
        again = encode_lines(text, encoding)
    except UnicodeError:
        again = None
    if again != raw:
        raise Unfaithful(
            f"{encoding} does not give this file's bytes back when its text is encoded again "
            "(a rewrite would change bytes it did not touch)"
        )


def encode_lines(text: str, encoding: str) -> bytes:
    """``text`` encoded as ``encoding``; in a codec not known to be stateless, one line at a
    time, so an unchanged line gets the bytes it was read from (``check_round_trip``)."""
    if codecs.lookup(encoding).name in FAITHFUL:
        return text.encode(encoding)
    return b"".join(line.encode(encoding) for line in physical_lines(text))
