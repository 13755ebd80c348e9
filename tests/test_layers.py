"""The house drawn from the imports (docs/architecture.md): setup.cfg's [importlinter] contracts hold (no import
from a lower layer to a higher one, no circle among a package's modules, the built-in plugins on the plugin API
alone, the events importing nothing of Sankao's); no module over 400 lines and no class over 250."""

from __future__ import annotations

import ast
import subprocess
import sys

import pytest

from conftest import ROOT

pytest.importorskip("importlinter", reason="pip install -e '.[test]' installs import-linter")

PACKAGES = ("cli", "core", "web", "plugins", "events")


def lint(config: str | None = None) -> subprocess.CompletedProcess:
    """import-linter in a process of its own: it reads setup.cfg from the working folder (or ``config``)."""
    args = "" if config is None else f", config_filename={config!r}"
    return subprocess.run([sys.executable, "-c", "import sys; from importlinter.cli import lint_imports; "
                                             f"sys.exit(lint_imports(no_cache=True{args}))"],
                          cwd=ROOT, capture_output=True, text=True, timeout=120)


def test_the_imports_keep_the_house():
    checked = lint()
    assert checked.returncode == 0, checked.stdout[-6000:] + checked.stderr[-2000:]
    assert "4 kept, 0 broken" in checked.stdout


def test_an_import_up_the_house_breaks_it(tmp_path):
    """The contract can fail: the store importing the read models (as it once did) is named as broken."""
    import configparser
    config = configparser.ConfigParser()
    config.read(ROOT / "setup.cfg", encoding="utf-8")
    layers = [line.strip() for line in config["importlinter:contract:house"]["layers"].splitlines() if line.strip()]
    # ask for the engine below the store: the engine's use of the store is then an import upwards
    swapped = [("core.engine" if x == "core.store" else "core.store" if x == "core.engine" else x) for x in layers]
    config["importlinter:contract:house"]["layers"] = "\n" + "\n".join(swapped)
    for name in [s for s in config.sections() if s.startswith("importlinter:contract:") and not s.endswith("house")]:
        config.remove_section(name)
    target = tmp_path / "setup.cfg"
    with open(target, "w", encoding="utf-8") as handle:
        config.write(handle)
    checked = lint(str(target))
    assert checked.returncode == 1 and "BROKEN" in checked.stdout.upper(), checked.stdout[-3000:]
    assert "core.engine" in checked.stdout and "core.store" in checked.stdout


def _sources():
    for package in PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            if "build" not in path.parts:
                yield path


def test_no_module_over_400_lines_and_no_class_over_250():
    long_modules, long_classes = [], []
    for path in _sources():
        text = path.read_text(encoding="utf-8")
        if len(text.splitlines()) > 400:
            long_modules.append(f"{path.relative_to(ROOT)}: {len(text.splitlines())} lines")
        for node in ast.walk(ast.parse(text)):
            if isinstance(node, ast.ClassDef) and node.end_lineno - node.lineno + 1 > 250:
                long_classes.append(f"{path.relative_to(ROOT)}:{node.lineno} {node.name}: "
                                    f"{node.end_lineno - node.lineno + 1} lines")
    assert not long_modules and not long_classes, long_modules + long_classes
