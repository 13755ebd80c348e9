"""``--help`` in one language: under ``--lang zh`` (before or after the command's name) or ``SANKAO_LANG=zh`` every
command's help is Chinese, in the glossary's words; English help stays as the decorators write it.

Walks ``main`` recursively: the test fails when a command or an option has no Chinese help in
``cli.help_zh``, and on any English word of a Chinese help other than command names, option names and their
metavars, environment variable names, file names and ``sankao …`` examples.
"""

from __future__ import annotations

import re

import click
import pytest
from click.testing import CliRunner

from cli import main
from cli import help_zh
from core.glossary import variants_in
from test_language_cli import _ALLOWED, _command_words


def _commands(group=main, path=()):
    yield path, group
    for name, command in getattr(group, "commands", {}).items():
        yield from _commands(command, (*path, name))


COMMANDS = list(_commands())
_NAMES = "|".join(sorted(_command_words(), key=len, reverse=True))
_HELP_ALLOWED = [re.compile(p) for p in [
    r"\b[\w.-]+(?:/[\w.-]+)*\.(?:md|py|toml|jsonl|json|db)\b",   # file names: docs/assessment.md, sankao.db
    r"~/\.config/\S+",
    rf"\b(?:{_NAMES})\b",                                         # command names
    r"\b(?:waitress|gunicorn|OpenAPI)\b",                         # products a command names
    r"\bsankao\b", r"\bpostgresql://\S*", r"\bx\b",
]]


def _metavars(command, ctx) -> list[str]:
    """What click writes for the command's options and arguments: ``--interval FLOAT RANGE``, ``[en|zh]``, ``K/N``."""
    found = []
    for param in command.get_params(ctx):
        if isinstance(param, click.Option):
            record = param.get_help_record(ctx)
            if record:
                found.append(record[0])
            if isinstance(param.type, click.Choice):
                found += [str(c) for c in param.type.choices]
        found.append(param.make_metavar(ctx))
        if isinstance(param, click.Argument):
            found.append(param.human_readable_name)
    return sorted(set(found), key=len, reverse=True)


def _all_metavars(specs: bool = False) -> list[str]:
    """Every command's metavars (a group's description names its commands' arguments: PERIOD, YEAR); with
    ``specs``, the left column of their options instead."""
    found = set()
    for _, command in COMMANDS:
        ctx = click.Context(command, info_name="sankao")
        if specs:
            found |= {p.get_help_record(ctx)[0] for p in command.get_params(ctx)
                      if isinstance(p, click.Option) and p.get_help_record(ctx)}
        else:
            found |= set(_metavars(command, ctx))
    return sorted(found, key=len, reverse=True)


def english_in_help(text: str, command) -> list[str]:
    left = re.sub(r"(?<=\S)\n\s*(?=\()", " ", text)  # a name beside its label, on the next line
    for spec in _all_metavars(specs=True):  # the options as click writes them: --effective YYYY-MM-DD|start
        left = left.replace(spec, " ")
    for pattern in [*_HELP_ALLOWED, *_ALLOWED]:
        left = pattern.sub(" ", left)
    for metavar in _all_metavars():
        left = re.sub(rf"(?<![\w-]){re.escape(metavar)}(?![\w-])", " ", left)
    return re.findall(r"[A-Za-z]{2,}", left)


@pytest.fixture(scope="module")
def runner():
    return CliRunner(env={"SANKAO_LANG": None, "COLUMNS": "80"})


def test_every_command_and_option_has_chinese_help():
    missing = []
    for path, command in COMMANDS:
        key = " ".join(path)
        if not help_zh.command_help(key):
            missing.append(f"sankao {key}".strip())
        for param in command.params:
            if isinstance(param, click.Option) and not param.hidden and not help_zh.option_help(key, param):
                missing.append(f"sankao {key} {help_zh.option_key(param)}".replace("  ", " "))
    assert not missing, f"no Chinese help (cli/help_zh.py) for: {missing}"
    assert help_zh.option_help("", main.get_help_option(click.Context(main)))


@pytest.mark.parametrize("path, command", COMMANDS, ids=[" ".join(p) or "sankao" for p, _ in COMMANDS])
def test_every_help_is_chinese(runner, path, command):
    shown = []
    for args in (["--lang", "zh", *path, "--help"], [*path, "--help", "--lang", "zh"]):
        result = runner.invoke(main, args, prog_name="sankao")
        assert result.exit_code == 0, (args, result.output)
        text = result.output
        assert text.startswith(f"用法: sankao {' '.join(path)}".rstrip()), text
        assert "选项:" in text and "显示此帮助并退出。" in text, text
        words = english_in_help(text, command)
        assert not words, f"{args}: English words {sorted(set(words))} in:\n{text}"
        assert not variants_in(text), f"{args}: glossary variants {variants_in(text)} in:\n{text}"
        shown.append(text)
    assert shown[0] == shown[1], "--lang before or after the command's name: the same help"
    english = runner.invoke(main, [*path, "--help"], prog_name="sankao").output
    assert english.startswith("Usage: sankao") and "Options:" in english
    assert english == runner.invoke(main, ["--lang", "en", *path, "--help"], prog_name="sankao").output


def test_sankao_lang_and_the_environment_epilog(runner):
    text = runner.invoke(main, ["--help"], prog_name="sankao", env={"SANKAO_LANG": "zh"}).output
    assert "环境变量 (各为其旁边选项的默认值):" in text and "SANKAO_SCORING  --scoring" in text
    assert "命令:" in text and "形象清单" in text and "[环境变量:SANKAO_DB;默认:sankao.db]" in re.sub(r"\s+", "", text)
    sub = runner.invoke(main, ["board", "--help"], prog_name="sankao", env={"SANKAO_LANG": "zh"}).output
    assert sub.startswith("用法: sankao board [选项] PERIOD")
    back = runner.invoke(main, ["board", "--help", "--lang", "en"], prog_name="sankao", env={"SANKAO_LANG": "zh"})
    assert back.output.startswith("Usage: sankao board [OPTIONS] PERIOD")


def test_a_group_named_alone_shows_its_help_in_chinese(runner):
    result = runner.invoke(main, ["audit"], prog_name="sankao", env={"SANKAO_LANG": "zh"})
    assert "用法: sankao audit [选项] 命令 [参数]..." in result.output and "错误" not in result.output
    assert "verify" in result.output and "全面核验" in result.output


def test_wrapping_counts_columns():
    """A Chinese character takes two columns; a line breaks between two of them, never before a comma."""
    wrapped = help_zh.wrap("一二三四五六七八九十一二三四五 abc", 20)
    assert wrapped.splitlines() == ["一二三四五六七八九十", "一二三四五 abc"], wrapped
    assert not any(line.startswith("。") for line in help_zh.wrap("一二三四五六七八九十。一二", 20).splitlines())
    assert help_zh.wrap("abc [环境变量: X]", 5).splitlines()[1].startswith("[环")  # never "abc [" then "环"
