"""The README works as written in a clone with nothing beside it: every path it names is inside the
repository, every document it links exists, and the command lines of "Using it" and "Auditing" run, in
order, as a user would paste them (sankao on the PATH, SANKAO_DB set, the files they name at hand)."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

from conftest import ROOT

README = (ROOT / "README.md").read_text(encoding="utf-8")
FILES = {  # the user's own files the examples name, as a user would have them
    "more.jsonl": '{"cmd": "dispatch", "date": "2024-01-08", "id": "readme-d1", "at": "2024-01-08T09:00:00+08:00"}\n',
    "today.jsonl": '{"cmd": "dispatch", "date": "2024-01-15", "id": "readme-d2", "at": "2024-01-15T09:00:00+08:00"}\n',
    "changes.toml": '[plugins.annual_amount]\nweight = "35"\n',
    "other.toml": '[plugins.annual_amount]\nweight = "40"\n',
}


def _block(heading: str) -> list[str]:
    section = README.split(f"\n## {heading}\n", 1)[1].split("\n## ", 1)[0]
    lines = [line[4:] for line in section.splitlines() if line.startswith("    ") and line.strip()]
    return [re.sub(r"\s+# .*$", "", line).strip() for line in lines if not line.lstrip().startswith("#")]


def test_the_readme_names_nothing_outside_the_repository():
    assert "../" not in README, "the README must not need anything beside the repository"
    for link in re.findall(r"\]\(([^)#]+)\)", README):
        if not link.startswith("http"):
            assert (ROOT / link).exists(), f"the README links {link}, which does not exist"


def test_the_using_it_and_auditing_commands_run_as_written(tmp_path):
    for name, text in FILES.items():
        (tmp_path / name).write_text(text)
    bin_dir = Path(sys.executable).parent
    env = {**{k: v for k, v in os.environ.items() if not k.startswith("SANKAO_")},
           "PATH": f"{bin_dir}{os.pathsep}{os.environ['PATH']}"}
    commands = _block("Using it") + _block("Auditing")
    assert len(commands) > 25
    for command in commands:
        if command.startswith("#") or command.startswith("export SANKAO_DB=postgresql"):
            continue
        if command.startswith("export "):
            key, _, value = command[len("export "):].partition("=")
            env[key] = value
            continue
        shell = command.replace("sankao token list; sankao token revoke", "sankao token list && sankao token revoke")
        if " apply " in shell and "--dry-run" not in shell:
            shell += " --yes"
        done = subprocess.run(["bash", "-c", shell], cwd=tmp_path, env=env, capture_output=True, text=True,
                              timeout=120)
        assert done.returncode == 0, f"README: `{command}` exited {done.returncode}:\n{done.stdout}\n{done.stderr}"
        assert "Traceback" not in done.stderr, command
