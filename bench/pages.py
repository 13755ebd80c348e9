"""The office's pages on the demo: server time of every page, beside a bare Flask page rendering a template of
the same size in the same run.

    python bench/pages.py [--repeat 30]

The demo of today is loaded into a fresh SQLite store; each page is asked ``--repeat`` times through the
WSGI app in this process (no network: server time only), logged in as an administrator (as a unit for its
form). Prints the median and the slowest time per page (goal: every page under 300 ms).
"""

from __future__ import annotations

import argparse
import json
import re
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from core.bootstrap import Config, Platform  # noqa: E402
from core.clock import local_date, now  # noqa: E402
from core.samples.demo import demo_commands  # noqa: E402


def log_in(app, token: str):
    client = app.test_client()
    page = client.get("/login").get_data(as_text=True)
    csrf = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    assert client.post("/login", data={"token": token, "csrf_token": csrf}).status_code == 302
    return client


def timed(client, url: str, repeat: int) -> list[float]:
    times = []
    for _ in range(repeat):
        began = time.perf_counter()
        answer = client.get(url)
        times.append((time.perf_counter() - began) * 1000)
        assert answer.status_code == 200, (url, answer.status_code)
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=30)
    args = parser.parse_args()
    from flask import Flask, render_template_string

    from web import create_app
    with tempfile.TemporaryDirectory() as folder:
        db = str(Path(folder) / "demo.db")
        platform = Platform(Config(db=db), "load")
        today = local_date(now(), platform.tz)
        commands = demo_commands(today, tz=platform.tz)
        began = time.perf_counter()
        platform.ledger.load([(n, json.dumps(c, ensure_ascii=False)) for n, c in enumerate(commands, 1)], "demo")
        platform.catch_up()
        print(f"the demo of {today}: {len(commands):,} commands loaded and scored in "
              f"{time.perf_counter() - began:.1f} s")
        admin = platform.ledger.issue_token("bench-admin", "admin", "bench")
        unit = platform.ledger.issue_token("bench-unit", "unit:U05", "bench")
        platform.close()
        app = create_app(Config(db=db))
        client, desk = log_in(app, admin), log_in(app, unit)
        with app.app_context():
            from core.read.office import months
            periods = months(app.extensions["sankao"])
        current, frozen = periods[-1], periods[-3]
        year = int(current[:4])
        case = app.extensions["sankao"].queries.notices("U05")[0]["case"]

        bare = Flask("bare")
        rows = "".join(f"<tr><td>{n}</td><td>Unit {n}</td><td>{n * 3.1:.2f}</td></tr>" for n in range(20))

        @bare.get("/")
        def page():
            return render_template_string("<html><body><table>{{ rows|safe }}</table></body></html>", rows=rows)
        baseline = statistics.median(timed(bare.test_client(), "/", args.repeat))
        print(f"bare Flask page (baseline): median {baseline:.2f} ms\n")
        print(f"{'page':<44} {'median ms':>10} {'slowest ms':>11} {'× baseline':>11}")
        for name, who, url in [
                (f"board, live month {current}", client, "/"),
                (f"board, frozen month {frozen}", client, f"/?month={frozen}"),
                (f"board as known on {frozen}-20", client, f"/?month={frozen}&known_at={frozen}-20"),
                ("a unit (U05)", client, "/units/U05"),
                ("a score explained", client, f"/units/U05/explain/{frozen}"),
                ("letters", client, "/notices"),
                ("a letter, printable", client, f"/notices/{case}/1"),
                ("quarterly monitoring", client, f"/quarterly?year={year}"),
                (f"annual standing {year - 1} (closed)", client, f"/annual/{year - 1}"),
                (f"annual standing {year} (provisional)", client, f"/annual/{year}"),
                ("plugins", client, "/plugins"),
                ("the unit's form", desk, "/record"),
                (f"board .xlsx {frozen}", client, f"/boards/{frozen}.xlsx"),
                (f"annual .xlsx {year - 1}", client, f"/annual/{year - 1}.xlsx")]:
            times = timed(who, url, args.repeat)
            median = statistics.median(times)
            print(f"{name:<44} {median:>10.1f} {max(times):>11.1f} {median / baseline:>10.0f}×")
        app.extensions["sankao"].close()


if __name__ == "__main__":
    main()
