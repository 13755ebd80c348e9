"""Every hook is documented for plugin authors and has a test of its own."""

from __future__ import annotations

import inspect
from pathlib import Path

import pytest

from core import hookspecs

HOOKS = [name for name, fn in vars(hookspecs).items()
         if name.startswith("sankao_") and inspect.isfunction(fn)]
TESTS = Path(__file__).parent


def test_there_are_hooks():
    assert {"sankao_indicator", "sankao_measure", "sankao_coefficient", "sankao_deduction",
            "sankao_dispatch", "sankao_rank", "sankao_close_month"} <= set(HOOKS)


@pytest.mark.parametrize("hook", HOOKS)
def test_hook_is_documented(hook):
    fn = getattr(hookspecs, hook)
    doc = inspect.getdoc(fn) or ""
    assert len(doc.splitlines()[0]) > 10, f"{hook} needs a one-line summary"
    assert ":returns:" in doc, f"{hook} must say what to return"
    for parameter in inspect.signature(fn).parameters:
        assert f":param {parameter}:" in doc, f"{hook} must document its argument {parameter}"
    assert hook in (Path(hookspecs.__file__).parents[1] / "docs" / "plugins.md").read_text(), \
        f"the plugin author's guide must mention {hook}"


@pytest.mark.parametrize("hook", HOOKS)
def test_hook_has_a_test(hook):
    mentioned = [p.name for p in TESTS.glob("test_*.py")
                 if p.name != Path(__file__).name and f"def test_{hook}" in p.read_text()]
    assert mentioned, f"no test function named test_{hook}... exists for {hook}"
