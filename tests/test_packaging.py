"""What a user installs is whole: a wheel built from the repository holds every package of the code (an
install that is not editable once lacked core.audit), the sample years, the templates and the translations."""

from __future__ import annotations

import subprocess
import sys
import zipfile

from conftest import ROOT


def test_the_wheel_holds_every_package_and_the_data(tmp_path):
    built = subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q",
                            "-w", str(tmp_path), str(ROOT)], capture_output=True, text=True, timeout=300)
    assert built.returncode == 0, built.stderr
    assert "core.samples" not in built.stderr, "the sample years must be data, not packages setuptools warns of"
    wheel, = tmp_path.glob("sankao-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    packages = {str(p.parent.relative_to(ROOT)) for p in ROOT.glob("**/*.py")
                if p.parent.name not in ("tests", "bench") and not {"tests", "bench", ".venv", "build"}
                & set(p.relative_to(ROOT).parts)}
    for package in packages:
        assert f"{package}/__init__.py" in names, f"{package} is not in the wheel (no __init__.py?)"
    for data in ("core/samples/public-years/year2023/commands.jsonl",
                 "core/samples/public-years/year2023-people/expected/annual-2023.json",
                 "web/translations/zh/LC_MESSAGES/messages.mo", "web/templates/board.html", "plugins/defaults.toml"):
        assert data in names, f"{data} is not in the wheel"
