"""DuckDB lets one process write a database file at a time. With the app running (the real ``hst app`` on a
copy of the demo database, watched in headless Chromium), a terminal's ``hst ingest`` must still finish,
and the app must then show the new rows; and while a long ``hst ingest`` holds the file, a page load must
wait for it and then succeed.

The app's store is transient (``app_pages/_resources.py``: the file is opened per call and let go at
once) and every open retries while another process holds the lock (``Store._open``), so the two take
turns. Besides the real server, a helper process calls the store in a loop exactly as the app does
(``Store(transient=True)``: data version, last upload, counts, profiles), so that the ingest meets a
store that is being opened and closed all the time.
"""

from __future__ import annotations

import subprocess
import sys
import threading
import time
from pathlib import Path

from app_testing import peek
from playwright.sync_api import expect

from app_pages.strings import STRINGS
from bench.app_render import AppServer, hst_env, page_url, wait_for_run
from matchmaking.reference import credit_code
from matchmaking.store import PAUSE_ENV, PAUSE_MARKER

from .conftest import BROWSER

pytestmark = BROWSER

ROOT = Path(__file__).resolve().parents[2]
INGEST_LIMIT_S = 90  # an ingest of one small file takes about a second; waiting for the app must stay bounded
HEADER = "统一社会信用代码,名称,机构类型,城市,区县,简介,能力与产品,合作需求,合作类型\n"

# what the app does on every page run, in a loop (the file is opened and closed on each call)
BUSY_APP = """
import sys, time
from matchmaking.store import Store
s = Store(sys.argv[1], transient=True)
print("busy", flush=True)
end = time.monotonic() + float(sys.argv[2])
n = 0
while time.monotonic() < end:
    s.data_version(); s.uploads(limit=1); s.count("organisations"); s.count("projects")
    s.profiles("projects")
    n += 5
print(n, flush=True)
"""


def firm_csv(path: Path, body8: str, name: str) -> tuple[str, Path]:
    code = credit_code.make("320612", body8)
    path.write_text(HEADER + f"{code},{name},企业,南通,通州区,并发写入测试企业。,船用曲轴与大型锻件的精密加工，年产能约500件。,"
                    "需要大型五轴龙门加工中心和锻件超声波探伤服务。,supplier;customer\n", encoding="utf-8")
    return code, path


def zh(key: str) -> str:
    return STRINGS[key][0]


def hst_ingest(db: Path, file: Path, **env: str) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "matchmaking.cli", "--db", str(db), "ingest", str(file)],
                            cwd=ROOT, env=hst_env(**env), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def open_overview(tab, server: AppServer, timeout_s: float = 300) -> float:
    t = time.monotonic()
    tab.goto(page_url(server.url, "overview"))
    wait_for_run(tab, zh("overview.title"), timeout_s=timeout_s)
    return time.monotonic() - t


def assert_no_exception(tab, where: str) -> None:
    shown = tab.locator('[data-testid="stException"]')
    assert shown.count() == 0, f"{where}: the page shows an exception:\n{shown.first.inner_text()[:3000]}"
    assert "Traceback" not in tab.locator("body").inner_text(), where


def freshness(tab) -> str:
    line = tab.locator('[data-testid="stMain"]').get_by_text(zh("overview.freshness").split("{")[0])
    expect(line).to_have_count(1)
    return line.inner_text()


def find_on_matches_page(tab, server: AppServer, name: str) -> None:
    tab.goto(page_url(server.url, "matches"))
    wait_for_run(tab, zh("matches.title"), timeout_s=300)
    search = tab.get_by_label(zh("matches.search"))
    search.fill(name)
    search.press("Enter")
    tab.wait_for_function("(want) => [...document.querySelectorAll('[data-testid=stMain] h3')]"
                          ".some(h => h.innerText.startsWith(want))", arg=f"{name} ↔", timeout=120_000)
    wait_for_run(tab, zh("matches.title"))
    assert_no_exception(tab, f"matches for {name}")


# ---------------------------------------------------------------------------------------------- tests
def test_hst_ingest_completes_while_the_app_runs_and_the_app_shows_the_new_rows(app_server, tab, tmp_path):
    db = app_server.db
    open_overview(tab, app_server)
    assert_no_exception(tab, "overview before")
    n_before = peek(db).count("organisations")
    before = freshness(tab)
    assert f"机构 {n_before} 家" in before, before

    code, file = firm_csv(tmp_path / "terminal_upload.csv", "MA1CCR01", "南通并发写入测试锻造有限公司")
    busy = subprocess.Popen([sys.executable, "-c", BUSY_APP, str(db), "10"], cwd=ROOT, env=hst_env(),
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        assert busy.stdout.readline().strip() == "busy", busy.stderr.read()
        tab.reload()  # and the real app serves a page run at the same time
        t = time.monotonic()
        ingest = hst_ingest(db, file)
        out, err = ingest.communicate(timeout=INGEST_LIMIT_S)
        took = time.monotonic() - t
        wait_for_run(tab, zh("overview.title"), timeout_s=300)
        calls, busy_err = busy.communicate(timeout=120)
    finally:
        if busy.poll() is None:
            busy.kill()
            busy.communicate()
    assert ingest.returncode == 0, f"hst ingest failed after {took:.1f} s:\n{out}\n{err}"
    assert "新增 1" in out, out
    assert busy.returncode == 0 and int(calls) > 0, f"the busy reader failed while the ingest wrote:\n{busy_err}"
    assert_no_exception(tab, "overview served during the ingest")
    print(f"hst ingest finished in {took:.1f} s while the app and a reader ({int(calls)} store calls, "
          "each opening the file) used it")

    store = peek(db)
    assert store.profile("organisations", code)["name"] == "南通并发写入测试锻造有限公司"
    last = store.uploads(limit=1).iloc[0]
    # the app picks the new rows up without a restart: the counts, the freshness line, the matcher
    open_overview(tab, app_server)
    assert_no_exception(tab, "overview after")
    after = freshness(tab)
    assert f"机构 {n_before + 1} 家" in after and "terminal_upload.csv" in after, after
    assert f"第 {int(last.upload_id)} 次上传" in after, after
    find_on_matches_page(tab, app_server, "南通并发写入测试锻造有限公司")


def test_a_page_load_waits_for_a_long_ingest_and_then_succeeds(app_server, tab, tmp_path):
    db = app_server.db
    open_overview(tab, app_server)  # the app is warm: what follows is the wait, not a first build
    pause = 8.0
    code, file = firm_csv(tmp_path / "slow_upload.csv", "MA1CCR02", "南通长时写入测试机械有限公司")
    ingest = hst_ingest(db, file, **{PAUSE_ENV: str(pause)})  # holds the file inside its transaction
    err_lines: list[str] = []
    inside = threading.Event()

    def read_stderr() -> None:
        for line in ingest.stderr:
            err_lines.append(line)
            if PAUSE_MARKER in line:
                inside.set()

    reader = threading.Thread(target=read_stderr, daemon=True)
    reader.start()
    try:
        assert inside.wait(60), f"hst ingest never reached its transaction: {''.join(err_lines)}"
        held = time.monotonic()
        took = open_overview(tab, app_server, timeout_s=120)
        waited = time.monotonic() - held
        ingest.wait(INGEST_LIMIT_S)
    finally:
        if ingest.poll() is None:
            ingest.kill()
            ingest.wait()
    reader.join(10)
    out = ingest.stdout.read()
    assert ingest.returncode == 0, f"{out}\n{''.join(err_lines)}"
    assert_no_exception(tab, "overview during a long ingest")
    assert waited >= pause * 0.6, f"the page came back in {waited:.1f} s while the file was held for {pause} s"
    print(f"page load during a {pause:.0f} s ingest: {took:.1f} s (waited for the file, then rendered)")
    # it waited for the ingest, so it shows its rows
    after = freshness(tab)
    assert "slow_upload.csv" in after, after
    assert peek(db).profile("organisations", code) is not None
    find_on_matches_page(tab, app_server, "南通长时写入测试机械有限公司")

