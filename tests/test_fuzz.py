"""Property-based tests (hypothesis) over ingest and segmentation.

Any bytes in -> a Document or a CastguardError, never another exception; offsets always inside the text;
the clause tree always well formed. Inputs: arbitrary bytes under every extension, arbitrary Unicode text,
and real contracts (PDF, DOCX, text) truncated and with bytes overwritten.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from conftest import SAMPLES
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from castguard.errors import CastguardError
from castguard.ingest import read_document
from castguard.segment import segment

EXTENSIONS = [".pdf", ".docx", ".txt", ".md", ".doc", ""]
REAL = {
    ".pdf": (SAMPLES / "film_actor_harborlight.pdf").read_bytes(),
    ".docx": (SAMPLES / "voiceover_brightwave.docx").read_bytes(),
    ".txt": (SAMPLES / "music_session_bluefinch.txt").read_bytes(),
}
FUZZ = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def check(data: bytes, suffix: str) -> None:
    """The invariants, for one input."""
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / f"contract{suffix}"
        path.write_bytes(data)
        try:
            doc = read_document(path)
        except CastguardError as exc:
            assert str(exc).startswith(str(path)) and exc.message  # names the file, says what is wrong
            return
        assert path.read_bytes() == data  # never modified
    n = len(doc.text)
    assert doc.text.strip()
    last = -1
    for b in doc.blocks:
        assert 0 <= b.start <= b.end <= n and b.start > last - 1
        last = b.end
    for i, start in enumerate(doc.page_starts):
        assert 0 <= start <= n and (i == 0 or start >= doc.page_starts[i - 1])
    clauses = segment(doc)
    seen: dict[str, object] = {}
    prev_end = 0
    for c in clauses:
        assert 0 <= c.start <= c.end <= n and c.start >= prev_end, "clauses in order, not overlapping"
        assert c.text == doc.text[c.start : c.end]
        for s, e in c.sentences:
            assert c.start <= s <= e <= c.end
        if c.parent is not None:
            assert c.parent in seen, "a parent comes before its children"
            assert c.level > seen[c.parent].level
        else:
            assert c.level == 0
        assert c.id not in seen
        seen[c.id] = c
        prev_end = c.end


@FUZZ
@given(data=st.binary(max_size=3000), suffix=st.sampled_from(EXTENSIONS))
def test_any_bytes(data, suffix):
    check(data, suffix)


@FUZZ
@given(text=st.text(max_size=1500), suffix=st.sampled_from([".txt", ".md"]))
def test_any_text(text, suffix):
    check(text.encode("utf-8"), suffix)


@FUZZ
@given(
    lines=st.lists(
        st.one_of(
            st.sampled_from(["1.", "(a)", "ARTICLE IV", "Section 2.1", "i)", "A.", "1.1.1", "#", "**Grant.**", ""]),
            st.text(alphabet="abc ABC.()1234567890ivx:;-\t\u00a0\u200b", max_size=40),
        ),
        max_size=60,
    )
)
def test_numbering_soup(lines):
    """Text made of clause markers and headings in any order: the segmenter's hardest input."""
    check(("PERFORMER AGREEMENT\n" + "\n".join(lines)).encode("utf-8"), ".txt")


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    suffix=st.sampled_from(sorted(REAL)),
    cut=st.floats(min_value=0.0, max_value=1.0),
    edits=st.lists(st.tuples(st.floats(min_value=0.0, max_value=1.0), st.binary(min_size=1, max_size=8)), max_size=6),
)
def test_damaged_real_contracts(suffix, cut, edits):
    data = bytearray(REAL[suffix])
    for where, junk in edits:
        i = int(where * (len(data) - 1))
        data[i : i + len(junk)] = junk
    data = bytes(data[: max(1, int(len(data) * cut))]) if cut < 0.999 else bytes(data)
    check(data, suffix)
