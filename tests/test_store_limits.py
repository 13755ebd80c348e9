"""A store that cannot be written (its folder closed to this user) or a disk that fills mid-load: the cause
named, what was kept said, how to finish said, and queries answering meanwhile; never "a defect in Sankao".

Both need root here (an immutable folder, a tiny tmpfs); elsewhere they skip, saying so."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from conftest import ROOT


def _run(*args, env=None):
    return subprocess.run([sys.executable, "-m", "cli", *args], cwd=ROOT, capture_output=True, text=True,
                          env={**os.environ, **(env or {})}, timeout=120)


@pytest.fixture
def closed_folder(tmp_path):
    folder = tmp_path / "closed"
    folder.mkdir()
    if subprocess.run(["chattr", "+i", str(folder)], capture_output=True).returncode != 0:
        pytest.skip("cannot make a folder unwritable here (needs root and chattr): run the suite as root, as CI does")
    yield folder
    subprocess.run(["chattr", "-i", str(folder)])


def test_a_folder_this_user_may_not_write_is_named_as_such(closed_folder, tmp_path):
    line = tmp_path / "one.jsonl"
    line.write_text(json.dumps({"cmd": "dispatch", "date": "2023-01-09", "id": "d1",
                                "at": "2023-01-09T09:00:00+08:00"}) + "\n")
    done = _run("--db", str(closed_folder / "office.db"), "load", str(line))
    assert done.returncode == 1
    assert "cannot be opened for writing" in done.stderr and "may not write there" in done.stderr, done.stderr
    assert "defect" not in done.stderr and "Traceback" not in done.stderr


@pytest.fixture
def tiny_disk(tmp_path):
    mount = tmp_path / "tiny"
    mount.mkdir()
    if subprocess.run(["mount", "-t", "tmpfs", "-o", "size=820k", "tmpfs", str(mount)],
                      capture_output=True).returncode != 0:
        pytest.skip("cannot mount a small tmpfs to fill (needs root): run the suite as root, as CI does")
    yield mount
    subprocess.run(["umount", str(mount)])


def test_a_disk_filling_mid_load_says_what_was_kept_and_queries_still_answer(tiny_disk, tmp_path):
    from core.samples.generate import generate_year
    year = tmp_path / "year.jsonl"
    year.write_text("".join(json.dumps(line) + "\n" for line in generate_year(units=10, projects=600, seed=3)))
    db = str(tiny_disk / "office.db")
    loaded = _run("--db", db, "load", str(year))
    assert loaded.returncode == 1, loaded.stderr
    assert "defect" not in loaded.stderr and "Traceback" not in loaded.stderr, loaded.stderr
    assert "is full" in loaded.stderr and "Free some space, then run the same command again" in loaded.stderr
    assert "Kept: 500 line(s) recorded" in loaded.stderr, loaded.stderr  # the batches before the full one
    kept = _run("--db", db, "events", "--json")
    assert kept.returncode == 0, kept.stderr  # the record answers while nothing can be written
    assert json.loads(kept.stdout), "what was recorded before the disk filled is kept"
    units = _run("--db", db, "units")
    assert units.returncode == 0 and "defect" not in units.stderr, units.stderr
