"""How a file name, or any text about one, is shown to a person: never a raw control
character, whatever the name holds.

A name is any string of bytes but NUL and ``/``: an escape sequence (``a\\x1b[31mred.py``),
a carriage return or a bell would act on the terminal that prints it, a bidi override
(U+202E) would show it reversed, and a byte that is not UTF-8 (kept by Python as a surrogate
escape) cannot be printed at all. ``quote_name`` writes such a name as git does in its
output (``core.quotePath``): in double quotes, with C escapes (``\\t``, ``\\r``, ``\\"``,
``\\\\``) and each other byte of an unprintable character in octal (``"a\\033[31mred.py"``,
``"e\\377.py"``), which ``git apply`` and ``patch`` read back in a diff header. A name with
nothing to escape is shown as it is. ``printable`` escapes the same characters in free text
(a message that quotes a path), without the quotes.

The machine formats keep the name itself, each in its own escaping: JSON's ``\\u`` escapes,
percent-encoding in SARIF's URIs and in GitHub's workflow commands.
"""

from __future__ import annotations

_SHORT = {
    "\a": "\\a",
    "\b": "\\b",
    "\t": "\\t",
    "\n": "\\n",
    "\v": "\\v",
    "\f": "\\f",
    "\r": "\\r",
    '"': '\\"',
    "\\": "\\\\",
}
# What git escapes by name inside quotes; anything else unprintable is octal bytes.


def raw_bytes(char: str) -> bytes:
    """The bytes a character of a file name stands for: a surrogate escape (U+DC80..U+DCFF,
    what ``os.fsdecode`` makes of a byte that is not UTF-8) is that byte."""
    code = ord(char)
    if 0xDC80 <= code <= 0xDCFF:
        return bytes((code - 0xDC00,))
    return char.encode("utf-8", "surrogatepass")


def _octal(char: str) -> str:
    return "".join(f"\\{byte:03o}" for byte in raw_bytes(char))


def needs_quoting(name: str) -> bool:
    # str.isprintable is False for controls (C0, DEL, C1), format characters (bidi
    # overrides, zero-width joiners), line and paragraph separators, surrogates, private use
    # and unassigned code points: everything a terminal may act on or cannot show.
    return not name.isprintable() or '"' in name or "\\" in name


def quote_name(name: str) -> str:
    """``name`` as a person is shown it: as it is, or quoted and escaped as git does."""
    if not needs_quoting(name):
        return name
    out = []
    for char in name:
        if char in _SHORT:
            out.append(_SHORT[char])
        elif char.isprintable():
            out.append(char)
        else:
            out.append(_octal(char))
    return '"' + "".join(out) + '"'


def printable(text: str) -> str:
    """Free text for a terminal: each unprintable character but a newline or a tab escaped
    (``\\033``, ``\\r``, ``\\377``) and nothing quoted; already-printable text is returned
    as it is."""
    if text.isprintable():
        return text
    out = []
    for char in text:
        if char.isprintable() or char in "\n\t":
            out.append(char)
        elif char in _SHORT:
            out.append(_SHORT[char])
        else:
            out.append(_octal(char))
    return "".join(out)


def percent_encode_unprintable(text: str, keep: str = "") -> str:
    """``text`` with each control character (C0, DEL, C1) and each byte that is not UTF-8
    percent-encoded (``%1B``, ``%FF``), characters in ``keep`` excepted: for a format whose
    only escape is ``%XX`` and whose ``%`` the caller has already escaped."""
    out = []
    for char in text:
        code = ord(char)
        if char not in keep and (code < 0x20 or 0x7F <= code < 0xA0 or 0xDC80 <= code <= 0xDCFF):
            out.append("".join(f"%{byte:02X}" for byte in raw_bytes(char)))
        else:
            out.append(char)
    return "".join(out)
