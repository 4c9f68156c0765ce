"""The Dask executor gives exactly what the local executor gives, on a real cluster: ``dask scheduler`` and two
``dask worker --nthreads 1`` processes started here on 127.0.0.1 (free ports), stopped whatever happens.

The same archive (sample contracts, the test corpus's PDFs, DOCX and text files, distinct copies, broken files
and a duplicate) goes through ``castguard batch --jobs 2`` and ``castguard batch --executor dask``; the two
output folders must agree on every file's status and reason, every contract's numbers and facts, every finding,
every JSON report and review page, and the CSV files (timings aside). benchmarks/dask_identity.py runs the same
comparison on 500 files of the real corpus."""

from __future__ import annotations

import copy
import importlib.util
import shutil
import sys

import pytest
from conftest import CORPUS, ROOT, SAMPLES

sys.path.insert(0, str(ROOT / "benchmarks"))
import dask_identity  # noqa: E402

if importlib.util.find_spec("distributed") is None:  # found, not imported: the cluster runs in its own processes
    pytest.skip("the Dask executor needs dask.distributed (the test extra)", allow_module_level=True)


def _archive(dest):
    """40 files: the samples, the test corpus's PDFs and DOCX and half its texts, two distinct copies, four broken
    files and one duplicate."""
    dest.mkdir()
    good = [p for p in sorted(SAMPLES.iterdir()) if p.suffix in (".pdf", ".docx", ".txt", ".md")]
    good = [p for p in good if p.name != "README.md"]
    good += [p for p in sorted(CORPUS.iterdir()) if p.suffix in (".pdf", ".docx")]
    good += [p for p in sorted(CORPUS.iterdir()) if p.suffix == ".txt"][::2]
    for p in good:
        shutil.copy(p, dest / p.name)
    pdf = (SAMPLES / "film_actor_harborlight.pdf").read_bytes()
    (dest / "copy-film_actor_harborlight.pdf").write_bytes(pdf + b"\n% a distinct copy\n")
    (dest / "copy-influencer_glowup.txt").write_text("Copy 1\n" + (SAMPLES / "influencer_glowup.txt").read_text())
    (dest / "duplicate-influencer_glowup.txt").write_bytes((SAMPLES / "influencer_glowup.txt").read_bytes())
    (dest / "broken-truncated.pdf").write_bytes(pdf[: len(pdf) // 3])
    (dest / "broken-corrupt.docx").write_bytes((SAMPLES / "voiceover_brightwave.docx").read_bytes()[:3000])
    (dest / "broken-junk.txt").write_bytes(bytes(range(256)) * 20)
    (dest / "broken-empty.md").write_bytes(b"")
    return len(good) + 7


def test_dask_cluster_gives_exactly_what_the_local_executor_gives(tmp_path):
    inbox = tmp_path / "in"
    n = _archive(inbox)
    dask_identity.run(inbox, tmp_path / "local", "--jobs", "2", timeout=900)
    with dask_identity.dask_cluster(tmp_path / "cluster") as address:
        dask_identity.run(inbox, tmp_path / "dask", "--executor", "dask", "--scheduler", address, timeout=900)
    local, remote = dask_identity.snapshot(tmp_path / "local"), dask_identity.snapshot(tmp_path / "dask")

    statuses = {name.rsplit("/", 1)[-1]: status for name, (status, _, _) in local["files"].items()}
    assert len(statuses) == n
    assert {k: v for k, v in statuses.items() if k.startswith("broken-")} == dict.fromkeys(
        ("broken-truncated.pdf", "broken-corrupt.docx", "broken-junk.txt", "broken-empty.md"), "failed"
    )
    assert sorted((statuses["duplicate-influencer_glowup.txt"], statuses["influencer_glowup.txt"])) == [
        "done", "duplicate"
    ]  # fmt: skip
    assert sum(s == "done" for s in statuses.values()) == n - 5
    assert sum(len(f) for f in local["findings"].values()) > 20  # the comparison compares something
    assert {p.rsplit(".", 1)[-1] for p in local["reports"]} == {"json", "html"}

    assert dask_identity.differences(local, remote) == []

    # and the comparison sees a difference where there is one
    changed = copy.deepcopy(remote)
    contract = next(iter(changed["findings"]))
    first = changed["findings"][contract][0]
    first["severity"] = "low" if first["severity"] != "low" else "high"
    assert dask_identity.differences(local, changed) == [
        f"/findings/{contract}[0]/severity: {local['findings'][contract][0]['severity']!r} != "
        f"{changed['findings'][contract][0]['severity']!r}"
    ]
