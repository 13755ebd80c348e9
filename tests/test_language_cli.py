"""The CLI in one language (#17): under ``--lang zh`` every command prints Chinese, in the glossary's words.

Every command runs over the sample years (one store of each, loaded once for the module) under ``--lang zh``,
and so does a set of rejected commands covering each kind of error message; the test fails on any English
word of the output that is not data (ids, the data's own names, hex roots, dates and times, zone names, file
paths, field names of the batch format beside their Chinese label, `sankao …` command lines and ``--options``
quoted in hints, JSON) and on any word ``core.glossary`` replaced by one of its terms.
"""

from __future__ import annotations

import json
import re

import pytest
from click.testing import CliRunner

from conftest import PEOPLE, ROOT, SCENARIO
from cli import main
from core.glossary import variants_in

ACTOR = "office"

# -- what may stay as it is in Chinese output -----------------------------------------------------------------
_CJK = "\u3000-\u303f\u4e00-\u9fff\uff00-\uffef"


def _command_words(group=main) -> set[str]:
    """The names of the CLI's commands (``board``, ``audit``, ``verify``, ...): what a quoted command line holds."""
    found = set()
    for name, command in getattr(group, "commands", {}).items():
        found |= {name, *_command_words(command)}
    return found


_COMMAND = "|".join(sorted(_command_words(), key=len, reverse=True))
_ALLOWED = [re.compile(p) for p in [
    r"(?:用法|帮助): sankao\b[^\n]*",                      # click's usage line and help hint: a command line
    r"\b(?:Sankao|SQLite|PostgreSQL|JSON|TOML|UTF-8|ISO 8601|IANA|Ctrl-C|Excel|WPS|CSV|GB18030)\b",  # products, formats
    r"\.(?:xlsx|csv)\b",                                      # a workbook's kind
    r"\bplugins\.toml\b", r"\[OPTIONS\]", r"\[plugins\.[\w]+\]", r"\?schema=NAME",
    rf"\bsankao(?: (?:{_COMMAND}))+(?: (?:[A-Z][A-Z_|]*|-|--[\w-]+|\S*\d\S*|\S*/\S*))*",  # sankao audit verify
    r"\bpython3 \S+(?: \S+)?",                                # python3 bundle/verify.py bundle
    r"\btail -n \+\d+ \S+",
    r"\bcreatedb \S+", r"\bpip install '[^']*'",
    r"(?<![\w/])(?:/[\w.@+-]+)+/?",                           # file paths
    r"\b\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:[+-]\d{2}:\d{2}|Z)?)?",  # dates, times
    r"\b[A-Z][a-z]+/[A-Z][A-Za-z_]+\b", r"\bUTC\b",          # zone names
    r"\b[0-9a-f]{16,}\b",                                     # hashes and roots
    r"\bsk_[\w-]+",                                           # a token, printed once
    r"\b(?:Unit|Project|Person) [\w-]*\d[\w-]*",              # the data's own names
    rf"\b{ACTOR}\b",                                          # the actor who recorded the data
    r"[\w.:-]*\d[\w.:-]*",                                    # ids (U01, P0001, c00001, U01-L001, open:2023-04)
    r"\b[a-z][a-z0-9]*(?:_[a-z0-9]+)+\b",                     # identifiers: plugins, hooks, fields (snake_case)
    rf"(?<=[{_CJK}]) ?\((?:'?[\w.:|-]+'?)\)",                 # a name beside its Chinese label: 签约日期 (signed_on)

    r"--[a-z][\w-]*", r"\bSANKAO_[A-Z_]+\b", r"-h\b",
    r"'[^'\n]*'",                                             # the user's own text, echoed (repr)
    r"\^\S+\$",                                               # a pattern an id must match
    r"\bYYYY(?:-MM(?:-DD)?)?\b", r"\bK/N\b",
]]


def _without_json(text: str) -> str:
    """``text`` with its JSON objects and lists (the record's data, the contract's JSON) taken out."""
    decoder, out, i = json.JSONDecoder(), [], 0
    while i < len(text):
        if text[i] in "{[" and (text[i + 1:i + 2] in ('"', "]", "}") or text[i:i + 2] in ("{\n", "[\n")):
            try:
                _, end = decoder.raw_decode(text, i)
            except ValueError:
                end = None
            if end is not None:
                out.append(" ")
                i = end
                continue
        out.append(text[i])
        i += 1
    return "".join(out)


def english_words(text: str) -> list[str]:
    """The English words of ``text`` that are not data."""
    left = _without_json(text)
    for pattern in _ALLOWED:
        left = pattern.sub(" ", left)
    return re.findall(r"[A-Za-z]{2,}", left)


def assert_chinese(result, what: str) -> None:
    text = result.stdout + result.stderr
    assert text.strip(), f"{what}: printed nothing"
    assert "Traceback" not in text, text
    words = english_words(text)
    assert not words, f"{what}: English words {sorted(set(words))} in:\n{text}"
    variants = variants_in(text)
    assert not variants, f"{what}: glossary variants {variants} in:\n{text}"


# -- one store of each sample year, loaded once ---------------------------------------------------------------
@pytest.fixture(scope="module")
def stores(tmp_path_factory):
    folder = tmp_path_factory.mktemp("language")
    runner = CliRunner()
    found = {}
    for name, scenario in (("year", SCENARIO), ("people", PEOPLE)):
        db = str(folder / f"{name}.db")
        loaded = runner.invoke(main, ["--db", db, "load", str(scenario / "commands.jsonl"), "--actor", ACTOR],
                               prog_name="sankao")
        assert loaded.exit_code == 0, loaded.output
        found[name] = db
    found["folder"] = folder
    return found


@pytest.fixture(scope="module")
def zh(stores):
    """Run ``sankao --lang zh ...`` in-process over a store: ``zh("year", "board", "2023-06", expect=0)``."""
    runner = CliRunner(env={"COLUMNS": "100000", "SANKAO_LANG": None})

    def run(store: str | None, *args: str, expect: int | None = 0, stdin: str | None = None, lang=("--lang", "zh"),
            env=None):
        where = ["--db", stores[store]] if store else ["--db", str(stores["folder"] / "none" / "x.db")]
        result = runner.invoke(main, [*where, *lang, *args], input=stdin, prog_name="sankao", env=env)
        if expect is not None:
            assert result.exit_code == expect, (args, result.exit_code, result.stdout, result.stderr)
        return result

    return run


READS = [
    ("year", ["board", "2023-06", "--known-at", "2023-06-20"]),                  # live
    ("year", ["board", "2023-06", "--known-at", "2023-07-10"]),                  # frozen, as known then
    ("year", ["board", "2023-03", "--restated"]),
    ("year", ["board", "2023-12"]),
    ("year", ["score", "U03", "2023-06"]),
    ("year", ["score", "U01", "2023-04", "--known-at", "2023-04-20"]),
    ("year", ["explain", "U03", "2023-04", "--known-at", "2023-04-28"]),
    ("year", ["explain", "U01", "2023-06"]),
    ("year", ["history", "U03", "2023-04"]),
    ("year", ["history", "U01", "2023-06", "--exact"]),
    ("year", ["notices"]),
    ("year", ["notices", "--unit", "U01"]),
    ("year", ["units"]),
    ("year", ["projects"]),
    ("year", ["projects", "--unit", "U02", "--stage", "withdrawn"]),
    ("year", ["events", "--limit", "40"]),
    ("year", ["events", "--consequences", "--after", "990", "--limit", "60"]),
    ("year", ["events", "--unit", "U02", "--type", "ProjectSigned,ProjectWithdrawn,FactCorrected"]),
    ("year", ["plugins", "list"]),
    ("year", ["audit", "head"]),
    ("year", ["audit", "prove", "100", "--head", "1000"]),
    ("year", ["audit", "consistency", "1000"]),
    ("year", ["audit", "verify"]),
    ("people", ["annual", "2023"]),
    ("people", ["annual", "2023", "--known-at", "2023-07-10"]),
    ("people", ["person", "U01-L001", "2023"]),
    ("people", ["person", "U02-D012"]),
    ("year", ["annual", "2023"]),                                                # provisional
    ("people", ["explain", "U01-D004", "2023"]),
    (None, ["sample"]),
]


@pytest.mark.parametrize("store, args", READS, ids=[" ".join(a) for _, a in READS])
def test_every_reading_command_speaks_chinese(zh, store, args):
    assert_chinese(zh(store, *args), " ".join(args))


def test_plugins_apply_dry_run_and_whatif(zh, stores):
    changes = stores["folder"] / "changes.toml"
    changes.write_text("[plugins.annual_amount]\nweight = 32.5\n\n[plugins.early_warning]\npoints = { orange = 1.25 }\n"
                       "\n[plugins.ranking_policy]\naccountability = { 2 = \"organizational\" }\n", encoding="utf-8")
    looked = zh("year", "plugins", "apply", str(changes), "--effective", "2023-06-01", "--dry-run")
    assert_chinese(looked, "plugins apply --dry-run")
    assert "试运行" in looked.stdout + looked.stderr
    assert_chinese(zh("year", "plugins", "apply", str(changes), "--effective", "start", "--dry-run"), "from the start")
    assert_chinese(zh("year", "whatif", "2023-06", "--plugins", str(changes)), "whatif")
    same = stores["folder"] / "same.toml"
    same.write_text("[plugins.annual_amount]\nweight = 30\n", encoding="utf-8")
    assert_chinese(zh("year", "plugins", "apply", str(same), "--dry-run"), "nothing to change")


def test_tokens(zh):
    created = zh("year", "token", "create", "desk-u01", "--role", "unit:U01", "--actor", ACTOR)
    assert_chinese(created, "token create")
    listed = zh("year", "token", "list")
    assert_chinese(listed, "token list")
    assert "(Asia/Shanghai)" in listed.stdout, "the times of the tokens say their zone"
    assert_chinese(zh("year", "token", "revoke", "desk-u01", "--actor", ACTOR), "token revoke")
    assert_chinese(zh("year", "token", "revoke", "desk-u01", "--actor", ACTOR, expect=1), "revoked twice")
    assert_chinese(zh("year", "token", "create", "x y", "--role", "boss", "--actor", ACTOR, expect=1), "bad token")


def test_audit_export(zh, stores):
    folder = stores["folder"] / "bundle"
    assert_chinese(zh("year", "audit", "export", str(folder)), "audit export")
    assert_chinese(zh("year", "audit", "export", str(folder), expect=1), "export into a folder that exists")
    bad_root = "0" * 64
    assert_chinese(zh("year", "audit", "consistency", "1000", bad_root, expect=1), "a root that does not match")


REJECTED = {
    "bad JSON": "{not json",
    "a key twice": '{"cmd": "dispatch", "date": "2023-02-06", "date": "2023-02-07"}',
    "not an object": "[1, 2]",
    "no cmd": '{"project": "P0001"}',
    "unknown cmd": '{"cmd": "sign"}',
    "missing field": '{"cmd": "sign_project", "project": "P0001", "signed_on": "2023-02-01"}',
    "unknown field": '{"cmd": "dispatch", "date": "2023-02-06", "colour": "red"}',
    "bad amount": '{"cmd": "sign_project", "project": "P0001", "signed_on": "2023-02-01", "amount": "-5"}',
    "too long an amount": '{"cmd": "sign_project", "project": "P0001", "signed_on": "2023-02-01", '
                          '"amount": "1234567890123456789"}',
    "bad date": '{"cmd": "sign_project", "project": "P0001", "signed_on": "2023-02-30", "amount": "5"}',
    "date in the future": '{"cmd": "sign_project", "project": "P0001", "signed_on": "2099-01-01", "amount": "5"}',
    "at in the future": '{"cmd": "register_unit", "unit": "U77", "name": "x", "category": "park", '
                        '"at": "2999-01-01T00:00:00+08:00"}',
    "at without offset": '{"cmd": "register_unit", "unit": "U77", "name": "x", "category": "park", '
                         '"at": "2023-03-01T10:00:00"}',
    "at before the latest": '{"cmd": "register_unit", "unit": "U77", "name": "x", "category": "park", '
                            '"at": "2023-01-01T00:00:00+08:00"}',
    "unknown unit": '{"cmd": "plan_project", "project": "PX1", "unit": "U99", "name": "x", "planned_on": "2023-02-01"}',
    "unknown project": '{"cmd": "sign_project", "project": "P9999", "signed_on": "2023-02-01", "amount": "5"}',
    "unit registered twice": '{"cmd": "register_unit", "unit": "U01", "name": "x", "category": "park"}',
    "project planned twice": '{"cmd": "plan_project", "project": "P0001", "unit": "U01", "name": "x", '
                             '"planned_on": "2023-02-01"}',
    "signed twice": '{"cmd": "sign_project", "project": "P0030", "signed_on": "2023-06-01", "amount": "5"}',
    "dates out of order": '{"cmd": "land_project", "project": "P0110", "landed_on": "2023-06-01"}',
    "month not over": '{"cmd": "close_month", "period": "2099-01"}',
    "month closed": '{"cmd": "close_month", "period": "2023-06"}',
    "bad period": '{"cmd": "close_month", "period": "2023-13"}',
    "year as a string": '{"cmd": "close_year", "year": "2023"}',
    "dispatch earlier": '{"cmd": "dispatch", "date": "2023-01-02"}',
    "unknown weights, quarters": '{"cmd": "set_targets", "unit": "U01", "year": 2024, "annual": "1", '
                                 '"quarterly": ["1", "0", "1", "2"], "monthly": "1", "planned": 1, "landed": 1, '
                                 '"weights": {"colour": 1}}',
    "unknown level": '{"cmd": "register_person", "person": "X1", "unit": "U01", "name": "x", "level": "boss"}',
    "bad id": '{"cmd": "dispatch", "date": "2023-02-06", "id": "-x"}',
    "never set": '{"cmd": "correct", "project": "P0110", "field": "landed_on", "value": "2023-06-01", "reason": "r"}',
    "empty name": '{"cmd": "register_unit", "unit": "U78", "name": "", "category": "park"}',
}


@pytest.mark.parametrize("line", REJECTED.values(), ids=REJECTED.keys())
def test_every_kind_of_rejected_line_is_said_in_chinese(zh, line):
    result = zh("year", "load", "-", "--actor", ACTOR, stdin=line + "\n", expect=1)
    assert result.stdout.startswith("第 1 行: "), result.stdout
    assert_chinese(result, line)


def test_check_lists_every_rejected_line_in_chinese(zh, stores):
    lines = stores["folder"] / "bad.jsonl"
    lines.write_bytes("\n".join(REJECTED.values()).encode() + b"\n\xff\xfe not utf-8\n")
    result = zh("year", "load", str(lines), "--check", expect=1)
    assert_chinese(result, "load --check")
    assert len(re.findall(r"^第 \d+ 行: ", result.stdout, re.M)) == len(REJECTED) + 1


def test_a_time_the_user_wrote_is_echoed_as_written(zh):
    result = zh("year", "load", "-", stdin=REJECTED["at in the future"] + "\n", expect=1)
    assert "2999-01-01T00:00:00+08:00" in result.stdout and "+00:00" not in result.stdout


ERRORS = [
    ("year", ["board", "2023-13"], 2),                     # click: a bad argument
    ("year", ["board"], 2),                                # click: a missing argument
    ("year", ["board", "2023-06", "--colour"], 2),          # click: no such option
    ("year", ["boards"], 2),                               # click: no such command
    ("year", ["annual", "1800"], 2),                       # click: out of range
    ("year", ["events", "--type", "Signed"], 2),
    ("year", ["token", "create", "x"], 2),                 # click: a missing option
    ("year", ["board", "2023-06", "--known-at", "soon"], 2),
    ("year", ["board", "2099-01"], 1),                     # no board yet
    ("year", ["board", "2024-02"], 1),                     # nobody assessed
    ("year", ["score", "U99", "2023-05"], 1),
    ("year", ["explain", "U99", "2023-05"], 1),
    ("year", ["history", "U99", "2023-05"], 1),
    ("year", ["notices", "--unit", "U99"], 1),
    ("year", ["projects", "--unit", "U99"], 1),
    ("year", ["events", "--project", "P9999"], 1),
    ("year", ["person", "U01", "2023"], 1),
    ("year", ["audit", "prove", "99999"], 1),
    ("year", ["audit", "consistency", "5", "xyz"], 2),
    ("year", ["plugins", "apply", "/no/such.toml", "--dry-run"], 1),
    ("year", ["plugins", "apply", "--dry-run"], 2),
    ("year", ["plugins", "apply", str(ROOT / "pyproject.toml"), "--dry-run"], 1),
    ("year", ["load", "/no/such.jsonl"], 2),
    ("year", ["backup", "/no/such/folder/copy.db"], 1),
    (None, ["events"], 1),                                 # no store
    (None, ["board", "2023-06"], 1),
]


@pytest.mark.parametrize("store, args, status", ERRORS, ids=[" ".join(a) for _, a, _ in ERRORS])
def test_every_error_is_said_in_chinese(zh, store, args, status):
    result = zh(store, *args, expect=None)
    assert result.exit_code == status, (result.exit_code, result.stdout, result.stderr)
    assert "错误: " in result.stderr, result.stderr
    assert_chinese(result, " ".join(args))


def test_bad_plugin_settings_are_said_in_chinese(zh, stores):
    bad = stores["folder"] / "bad.toml"
    bad.write_text("[plugins.early_warning]\nthresholds = { red = 0.05 }\ncolour = 1\n\n"
                   "[plugins.unit_coefficient]\nc_min = 2\n\n[plugins.annual_evaluation]\nexcellent_share = 95\n\n"
                   "[plugins.nosuch]\n", encoding="utf-8")
    result = zh("year", "plugins", "apply", str(bad), "--dry-run", expect=1)
    assert_chinese(result, "bad settings")


def test_sankao_lang_and_the_option_after_the_command(zh):
    assert_chinese(zh("year", "units", lang=(), env={"SANKAO_LANG": "zh"}), "SANKAO_LANG=zh")
    assert_chinese(zh("year", "board", "2023-06", "--lang", "zh", lang=()), "--lang after the command")


def test_json_is_the_contract_whatever_the_language(zh):
    for args in (["board", "2023-06", "--known-at", "2023-07-10"], ["history", "U03", "2023-04"],
                 ["explain", "U03", "2023-04", "--known-at", "2023-04-28"], ["events", "--limit", "5"]):
        english = zh("year", *args, "--json", lang=())
        chinese = zh("year", *args, "--json")
        assert json.loads(english.stdout) == json.loads(chinese.stdout)


def test_times_say_their_zone(zh):
    board = zh("year", "board", "2023-06", "--known-at", "2023-07-10").stdout
    assert "截至 2023-07-10 23:59:59 (Asia/Shanghai)" in board
    english = zh("year", "board", "2023-06", "--known-at", "2023-07-10", lang=()).stdout
    assert "as known at 2023-07-10 23:59:59 (Asia/Shanghai) ·" in english
    for args in (["events", "--limit", "3"], ["history", "U03", "2023-04"]):
        assert "(Asia/Shanghai)" in zh("year", *args).stdout.splitlines()[1]


def test_history_follows_exact(zh):
    """Amounts in history are in 亿元 like every table, in yuan with --exact (#17)."""
    plain = zh("year", "history", "U03", "2023-04", lang=()).stdout
    assert "signed_amount 10.02 -> 22.03" in plain and "1002230000" not in plain and "(¥100M)" in plain
    exact = zh("year", "history", "U03", "2023-04", "--exact", lang=()).stdout
    assert "signed_amount 1,002,230,000.00 -> 2,202,670,000.00" in exact and "(yuan)" in exact
    chinese = zh("year", "history", "U03", "2023-04").stdout
    assert "签约额 10.02 -> 22.03" in chinese and "(金额: 亿元)" in chinese
    assert "planned_projects 6 -> 7" in plain, "counts stay counts"


def test_the_scanner_finds_english():
    """The check itself: English words are found, data is not."""
    assert english_words("形象清单 2023-06 · frozen") == ["frozen"]
    assert english_words("签约日期 (signed_on) 2030-01-01 晚于 U01 Unit U01 P0001 c00001 (Asia/Shanghai)") == []
    assert english_words('内容 {"name": "Project P0001", "reason": "contract amount verified"}') == []
    assert english_words("错误: 请运行: sankao plugins apply FILE; 或 --dry-run") == []
    assert english_words("项目 P0001: is withdrawn") == ["is", "withdrawn"]


def test_keeping_the_store(zh, stores):
    """init, backup, rebuild, and scoring left to a worker: what they print is Chinese too."""
    assert_chinese(zh("year", "init"), "init")
    assert_chinese(zh("year", "backup", str(stores["folder"] / "copy.db")), "backup")
    assert_chinese(zh("year", "backup", str(stores["folder"] / "copy.db"), expect=1), "backup over a file")
    assert_chinese(zh("year", "rebuild"), "rebuild")
    fresh = str(stores["folder"] / "worker.db")
    lines = "".join(SCENARIO.joinpath("commands.jsonl").read_text(encoding="utf-8").splitlines(True)[:40])
    runner = CliRunner(env={"COLUMNS": "100000", "SANKAO_LANG": None})

    def run(*args, stdin=None):
        return runner.invoke(main, ["--db", fresh, "--lang", "zh", "--scoring", "worker", *args], input=stdin,
                             prog_name="sankao")
    loaded = run("load", "-", "--actor", ACTOR, stdin=lines)
    assert loaded.exit_code == 0, loaded.output
    assert_chinese(loaded, "load, scoring left to a worker")
    behind = run("units")
    assert "计分交给" in behind.stderr, behind.stderr
    assert_chinese(behind, "units while the scores are behind")
    worked = run("worker", "--once")
    assert worked.exit_code == 0, worked.output
    assert_chinese(worked, "worker --once")


def test_explain_says_how_the_base_is_made(zh):
    """The base is Σ scores × 100 ÷ Σ weights of the indicators assessed; one without a target drops out."""
    chinese = zh("year", "explain", "U04", "2023-06", "--known-at", "2023-06-28").stdout
    assert "基础分 64.64 = 各项得分之和 (11.12 + 10.59 + 15.00 + 15.00 = 51.71) × 100 ÷ 参加考核指标的权重之和 " \
           "(30 + 20 + 15 + 15 = 80)" in chinese, chinese
    assert "无目标、不参加考核 (其权重不计): 招引落地数 (权重 20)" in chinese
    english = zh("year", "explain", "U04", "2023-06", "--known-at", "2023-06-28", lang=()).stdout
    assert "base 64.64 = Σ scores (11.12 + 10.59 + 15.00 + 15.00 = 51.71) × 100 ÷ Σ weights assessed " \
           "(30 + 20 + 15 + 15 = 80)" in english, english
    assert "without a target, not assessed (the weight drops out): projects landed (weight 20)" in english


def test_audit_verify_names_heads_in_chinese(zh, stores):
    """A tampered copy: the heads' stored labels (close 2023-01) are said 月末关账 2023-01 (display only)."""
    import shutil
    import sqlite3
    copy = stores["folder"] / "tampered.db"
    shutil.copy(stores["year"], copy)
    with sqlite3.connect(copy) as conn:
        position = conn.execute("SELECT min(position) FROM events WHERE CAST(state AS TEXT) LIKE '%200710000%'"
                                ).fetchone()[0]
        conn.execute("UPDATE events SET state = CAST(replace(CAST(state AS TEXT), '200710000', '900710000') AS BLOB) "
                     "WHERE position = ?", (position,))
    stores["tampered"] = str(copy)
    result = zh("tampered", "audit", "verify", expect=1)
    assert "月末关账 2023-01" in result.stdout and "close 20" not in result.stdout, result.stdout
    assert_chinese(result, "audit verify, tampered")
    english = zh("tampered", "audit", "verify", expect=1, lang=())
    assert "(close 2023-01)" in english.stdout


def test_demo_names_its_roles_as_token_list_does(tmp_path):
    runner = CliRunner(env={"COLUMNS": "100000", "SANKAO_LANG": None})
    result = runner.invoke(main, ["--db", str(tmp_path / "demo.db"), "--lang", "zh", "demo", "--no-serve"],
                           prog_name="sankao")
    assert result.exit_code == 0, result.output
    for role in ("管理员 (admin)", "审计员 (auditor)", "查看者 (viewer)", "单位 (unit:U05)"):
        assert re.search(rf"^  {re.escape(role)} +sk_", result.stdout, re.M), result.stdout


def test_the_catalogs_parts_share_no_key():
    """core.messages' catalog is assembled from its parts by area: a key in two parts would silently lose one."""
    from core.messages import CATALOG, audit, cli, intake, outbox, read, record, rules, store, supervision
    parts = [audit, cli, intake, outbox, read, record, rules, store, supervision]
    keys = [key for part in parts for key in part.CATALOG]
    assert len(keys) == len(set(keys)), sorted({k for k in keys if keys.count(k) > 1})
    assert set(CATALOG) == set(keys) | {"_join", "rejected"}
