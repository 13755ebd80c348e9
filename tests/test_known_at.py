"""One reading of ``known_at`` for the CLI, the API and the pages: a date means the end of that day in the
store's own assessment time zone, whatever zone the process was started with (none, here)."""

from __future__ import annotations

import json

import pytest

from conftest import SCENARIO
from core.bootstrap import Config, Platform

DAY_END_LONDON = "2023-06-30T23:59:59.999999+01:00"


@pytest.fixture(scope="module")
def london(tmp_path_factory):
    """The shared year recorded into a store created in Europe/London."""
    db = str(tmp_path_factory.mktemp("london") / "sankao.db")
    platform = Platform(Config(db=db, timezone="Europe/London", sources={"timezone": "--tz"}), "load")
    platform.ledger.load(enumerate(SCENARIO.joinpath("commands.jsonl").read_text().splitlines(), 1), "office")
    platform.catch_up()
    token = platform.ledger.issue_token("office", "admin", "setup")
    platform.close()
    return db, token


def test_the_cli_reads_a_date_in_the_stores_zone_without_tz(london, cli, monkeypatch):
    db, _ = london
    monkeypatch.delenv("SANKAO_TZ", raising=False)
    answer = json.loads(cli(db, "board", "2023-06", "--known-at", "2023-06-30", "--json").output)
    assert answer["known_at"] == DAY_END_LONDON


def test_the_api_and_the_pages_read_it_the_same_with_no_zone_set(london, monkeypatch):
    from web import create_app
    db, token = london
    monkeypatch.delenv("SANKAO_TZ", raising=False)
    monkeypatch.setenv("SANKAO_DB", db)
    app = create_app()  # from the environment, as `sankao serve` does: the store's zone is taken, not refused
    client = app.test_client()
    answer = client.get("/api/boards/2023-06?known_at=2023-06-30", headers={"Authorization": f"Bearer {token}"})
    assert answer.status_code == 200, answer.json
    assert answer.json["known_at"] == DAY_END_LONDON
    platform = app.extensions["sankao"]
    assert platform.known_at("2023-06-30").isoformat() == DAY_END_LONDON
    assert str(platform.tz) == "Europe/London"


def test_a_zone_set_against_the_stores_is_still_refused_naming_the_setting(london, monkeypatch):
    from core.errors import ConfigError
    from web import create_app
    db, _ = london
    monkeypatch.setenv("SANKAO_TZ", "Asia/Shanghai")
    monkeypatch.setenv("SANKAO_DB", db)
    with pytest.raises(ConfigError, match="SANKAO_TZ: this store's assessment time zone is Europe/London"):
        create_app()


def test_a_moment_to_come_means_now_and_a_bad_value_names_both_forms(london, cli):
    db, _ = london
    answer = json.loads(cli(db, "board", "2023-06", "--known-at", "2031-01-01", "--json").output)
    assert answer["known_at"] < "2031", "a day to come is answered as known now, and says so"
    refused = cli(db, "board", "2023-06", "--known-at", "2023-6-30", expect=2)
    assert "is neither a date (2023-07-10, meaning its end) nor an ISO 8601 time with an offset" in refused.output
