"""The real app in a real browser: ``hst app`` on a copy of the demo database, driven by Debian's headless
Chromium through Python Playwright (``executable_path=/usr/bin/chromium``; never ``playwright install``).

Every page in Chinese and in English (switched with the sidebar radio): the expected headings and texts are
there, no exception is shown, Chinese glyphs are drawn by a real CJK font (not boxes), and a full-page
screenshot of each is kept in ``tests/artifacts/screenshots/<page>_<lang>.png`` for CI to collect. Then a
user's flow: upload a small file, see it checked and stored, find the new firm on the matches page, open its
first match and move it to "contacted" in the follow-up form, which the store must then hold.

The follow-up form belongs to one pair: a decline is confirmed by the firm's name and lands on that (query,
candidate) pair alone; another pair, opened next, shows its own status and an empty note; a note saved there
lands on it alone and both of its changes are in its history (checked in the store, read-only, after each save).

On a closed network nothing may leave the app's host: every page, in both languages, is opened while every
request of the browser is recorded, and any URL off 127.0.0.1/localhost at the server's port fails the test.
Pictures of the parts a reader must see (at 1366 px): the match table, the firm page, the follow-up form with
its history, the benefit page's net effect and scenario comparison, the alliance network, the upload check.

The server/browser helpers (``AppServer``, ``launch_chromium``, ``wait_for_run``) live in
``bench/app_render.py``, which times the same page loads.
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import parse_qs, quote, urlsplit

import pytest
from app_testing import SHOTS, peek
from playwright.sync_api import expect

from app_pages.strings import STRINGS
from bench.app_render import PAGES, AppServer, page_url, wait_for_run
from matchmaking.followup import reason_name, status_name
from matchmaking.reference import credit_code

from .conftest import BROWSER

pytestmark = BROWSER

ROOT = Path(__file__).resolve().parents[2]
LANGS = {"zh": 0, "en": 1}
CJK_FONTS = ("WenQuanYi", "Noto Sans CJK", "Noto Serif CJK", "Droid Sans Fallback", "AR PL", "Source Han")

# what each page must show besides its title (string keys; text before a {placeholder} is matched)
EXPECTED = {
    "overview": ["overview.freshness", "overview.who", "overview.map_title", "overview.flows_title"],
    "matches": ["matches.search", "matches.party", "matches.follow_up"],
    "upload": ["upload.intro", "upload.file", "upload.history"],
    "benefit": ["benefit.results", "benefit.compare.title"],
    "alliances": ["alliances.intro", "alliances.network", "alliances.rosters"],
    "funnel": ["funnel.stages", "funnel.weights", "funnel.download"],
}

# the user flow's firm: in Suzhou, offering servo drives, motors and strain-wave gears (which robot and
# automation firms in the demo need), seeking automotive camera modules (which demo firms offer)
NEW_CODE = credit_code.make("320594", "MA1BRW01")
NEW_NAME = "苏州浏览器测试伺服科技有限公司"
NEW_CSV = (
    "统一社会信用代码,名称,机构类型,城市,区县,简介,能力与产品,合作需求,合作类型\n"
    f"{NEW_CODE},{NEW_NAME},企业,苏州,苏州工业园区,伺服驱动与精密传动企业，为机器人和自动化设备配套。,"
    "紧凑型伺服驱动器与低齿槽转矩伺服电机，用于机器人关节；零背隙谐波减速器（应变波齿轮）与微型直线导轨，年产能约20万套。,"
    "车规级环视摄像头模组与工业相机模组，每年约20万件，用于自研的移动机器人。,supplier;customer\n"
).encode()


def s(key: str, lang: str, **values: object) -> str:
    text = STRINGS[key][LANGS[lang]]
    return text.format(**values) if values else text


def fragment(key: str, lang: str) -> str:
    """The longest fixed text of a string between its placeholders."""
    import re

    return max(re.split(r"\{[^}]*\}", STRINGS[key][LANGS[lang]]), key=len).strip()


def prefix(key: str, lang: str) -> str:
    """The fixed text of a string up to its first placeholder."""
    return STRINGS[key][LANGS[lang]].split("{")[0].strip()


# ---------------------------------------------------------------------------------------------- helpers
def open_page(tab, server: AppServer, page: str) -> None:
    tab.goto(page_url(server.url, page))
    wait_for_run(tab, s(f"{page}.title", "zh"), timeout_s=300)


def switch_language(tab, lang: str, page: str) -> None:
    """What a user does: click the sidebar radio; the page reruns in the other language."""
    tab.locator('[data-testid="stSidebar"] [data-testid="stRadio"]').get_by_text(
        "English" if lang == "en" else "中文", exact=True).click()
    wait_for_run(tab, s(f"{page}.title", lang), timeout_s=120)


def assert_no_exception(tab, where: str) -> None:
    shown = tab.locator('[data-testid="stException"]')
    assert shown.count() == 0, f"{where}: the page shows an exception:\n{shown.first.inner_text()[:3000]}"
    body = tab.locator("body").inner_text()
    assert "Traceback" not in body, f"{where}: a traceback is on the page:\n{body[:3000]}"


def platform_fonts(tab, selector: str) -> list[str]:
    """The fonts Chromium actually drew the first ``selector`` element's text with (DevTools protocol)."""
    cdp = tab.context.new_cdp_session(tab)
    try:
        cdp.send("DOM.enable")
        cdp.send("CSS.enable")
        root = cdp.send("DOM.getDocument")["root"]["nodeId"]
        node = cdp.send("DOM.querySelector", {"nodeId": root, "selector": selector})["nodeId"]
        return [f["familyName"] for f in cdp.send("CSS.getPlatformFontsForNode", {"nodeId": node})["fonts"]]
    finally:
        cdp.detach()


def assert_chinese_renders(tab, where: str) -> None:
    """The Chinese heading is drawn with a CJK font (without one every character is a box), and has the
    width of its characters."""
    fonts = platform_fonts(tab, "h1")
    assert any(c in f for f in fonts for c in CJK_FONTS), (
        f"{where}: the Chinese heading is drawn with {fonts}, no CJK font: install fonts-wqy-microhei "
        "(scripts/apt_deps.sh)")
    h1 = tab.locator("h1").first
    box, text = h1.bounding_box(), h1.inner_text().strip()
    size = float(h1.evaluate("e => parseFloat(getComputedStyle(e).fontSize)"))
    cjk = sum(1 for ch in text if "\u4e00" <= ch <= "\u9fff")
    assert box and box["width"] >= 0.8 * cjk * size, f"{where}: heading {text!r} is {box} wide at {size}px"


def wait_for_heading(tab, part: str, timeout_s: float = 60) -> None:
    """Until a sub-heading (h3) of the page contains ``part``."""
    tab.wait_for_function("(want) => [...document.querySelectorAll('[data-testid=stMain] h3')]"
                          ".some(h => h.innerText.includes(want))", arg=part, timeout=timeout_s * 1000)


def screenshot(tab, name: str, top=None, bottom=None) -> Path:
    """A screenshot at the tab's width (1366 px, the ``tab`` fixture's): the whole page, or the band from the
    ``top`` element's top to the ``bottom`` element's bottom (locators; ``bottom`` defaults to ``top``).
    Streamlit scrolls inside its main element, not the document, so the window is made as tall as the content
    first (then page coordinates are window coordinates)."""
    SHOTS.mkdir(parents=True, exist_ok=True)
    size = tab.viewport_size
    height = int(tab.evaluate("() => Math.max(document.querySelector('[data-testid=\"stMain\"]')?.scrollHeight"
                              " || 0, document.documentElement.scrollHeight)"))
    tab.set_viewport_size({"width": size["width"], "height": min(max(height + 40, size["height"]), 16000)})
    tab.wait_for_timeout(400)  # charts re-lay out to the new size
    path = SHOTS / f"{name}.png"
    try:
        if top is None:
            tab.screenshot(path=str(path), full_page=True)
        else:
            first, last = top.bounding_box(), (bottom or top).bounding_box()
            assert first and last, f"{name}: the part to photograph is not on the page"
            y0, y1 = max(first["y"] - 12, 0), last["y"] + last["height"] + 12
            tab.screenshot(path=str(path), clip={"x": 0, "y": y0, "width": size["width"], "height": y1 - y0})
    finally:
        tab.set_viewport_size(size)
    return path


def record_requests(tab) -> list[str]:
    """Every URL the tab's browser context asks for from now on (documents, scripts, styles, fonts, images,
    XHR, service workers, popups) and every web socket it opens."""
    seen: list[str] = []
    tab.context.on("request", lambda r: seen.append(r.url))
    tab.on("websocket", lambda ws: seen.append(ws.url))
    return seen


def offsite_requests(urls: list[str], server: AppServer) -> list[str]:
    """The URLs that leave the app's host (127.0.0.1 or localhost at the server's port); data: and blob: URLs
    stay in the page."""
    out = set()
    for url in urls:
        u = urlsplit(url)
        if u.scheme in ("data", "blob"):
            continue
        if u.scheme in ("http", "https", "ws", "wss") and u.hostname in ("127.0.0.1", "localhost") \
                and u.port == server.port:
            continue
        out.add(url)
    return sorted(out)


def settle(tab) -> None:
    """Until the page's fonts are loaded (a missing glyph or icon is fetched only when text needs it)."""
    tab.evaluate("() => document.fonts.ready.then(() => true)")
    tab.wait_for_timeout(300)


# ---------------------------------------------------------------------------------------------- every page
@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("page", list(PAGES))
def test_page_renders_in_the_browser(app_server, tab, page, lang):
    open_page(tab, app_server, page)
    if lang == "en":
        switch_language(tab, "en", page)
    where = f"{page} ({lang})"
    assert_no_exception(tab, where)
    main = tab.locator('[data-testid="stMain"]')
    for key in EXPECTED[page]:
        expect(main, f"{where}: {key} is not on the page").to_contain_text(prefix(key, lang))
    nav = tab.locator('[data-testid="stSidebarNav"]')
    for p in PAGES:
        expect(nav, f"{where}: the navigation is not in {lang}").to_contain_text(s(f"nav.{p}", lang))
    if lang == "zh":
        assert_chinese_renders(tab, where)
    shot = screenshot(tab, f"{page}_{lang}")
    assert shot.stat().st_size > 20_000, f"{where}: screenshot {shot} looks empty"


def test_overview_path_reaches_the_overview(app_server, tab):
    """``/overview`` is the default page's own path: Streamlit serves that page at the root URL, and at
    ``/overview`` it says "Page not found" but still runs the overview (the app's main page)."""
    tab.goto(app_server.url + "/overview")
    wait_for_run(tab, s("overview.title", "zh"), timeout_s=300)
    assert_no_exception(tab, "/overview")


# ---------------------------------------------------------------------------------------------- a user's flow
def grid_party(grid, row: int) -> tuple[str, str]:
    """(id, name) of a match table's row. Column 2 is the name link; the grid's accessible cell holds the
    link's URL (``profile?org=<id>&name=<name>``), the canvas draws the name."""
    params = parse_qs(urlsplit(grid.locator(f'[data-testid="glide-cell-2-{row}"]').inner_text().strip()).query)
    return (params.get("org") or params.get("project") or [""])[0], (params.get("name") or [""])[0]


def grid_names(grid, rows: int) -> list[str]:
    """The names in the first ``rows`` rows of a match table."""
    return [grid_party(grid, r)[1] for r in range(rows)]


def expect_row(grid, row: int, name: str) -> None:
    """Until the table's ``row`` shows ``name`` (a table is redrawn after its run: its cells may still show
    the previous list for a moment)."""
    expect(grid.locator(f'[data-testid="glide-cell-2-{row}"]')).to_contain_text("name=" + quote(name, safe=""),
                                                                                timeout=30_000)


def test_upload_then_match_then_shortlist(app_server, tab):
    db = app_server.db
    assert peek(db).profile("organisations", NEW_CODE) is None

    # upload: the file is checked and reported, then stored
    open_page(tab, app_server, "upload")
    tab.locator('[data-testid="stFileUploaderDropzoneInput"]').set_input_files(
        files=[{"name": "new_firm.csv", "mimeType": "text/csv", "buffer": NEW_CSV}])
    tab.get_by_text(s("upload.report", "zh", name="new_firm.csv")).wait_for(timeout=60_000)
    wait_for_run(tab)
    assert_no_exception(tab, "upload report")
    main = tab.locator('[data-testid="stMain"]')
    assert main.get_by_text(s("upload.no_problems", "zh")).is_visible()
    metrics = {m.locator('[data-testid="stMetricLabel"]').inner_text().strip():
               m.locator('[data-testid="stMetricValue"]').inner_text().strip()
               for m in main.locator('[data-testid="stMetric"]').all()}
    assert (metrics[s("upload.valid", "zh")], metrics[s("upload.rejected", "zh")]) == ("1", "0"), metrics
    assert peek(db).profile("organisations", NEW_CODE) is None, "nothing stored before commit"

    before = peek(db).data_version()
    tab.get_by_role("button", name=s("upload.commit", "zh")).click()
    tab.get_by_text(prefix("upload.stored", "zh") + " 1 行").wait_for(timeout=60_000)
    wait_for_run(tab)
    assert_no_exception(tab, "upload stored")
    store = peek(db)
    assert store.profile("organisations", NEW_CODE)["name"] == NEW_NAME
    upload_id = int(store.uploads(limit=1).upload_id.iloc[0])
    assert upload_id == before + 1
    assert main.get_by_text(s("upload.stored", "zh", stored=1, id=upload_id)).is_visible()
    assert tab.get_by_role("button", name=s("upload.commit", "zh")).is_disabled(), "one click stores a file once"
    screenshot(tab, "flow_upload_zh")

    # matches: find the new firm (in-app navigation keeps the session), read its ranked matches
    tab.locator('[data-testid="stSidebarNav"] a', has_text=s("nav.matches", "zh")).click()
    wait_for_run(tab, s("matches.title", "zh"), timeout_s=300)
    search = tab.get_by_label(s("matches.search", "zh"))
    search.fill("浏览器测试伺服")
    search.press("Enter")
    wait_for_heading(tab, f"{NEW_NAME} ↔")  # the firm found is picked; its best match is open
    wait_for_run(tab, s("matches.title", "zh"))
    assert_no_exception(tab, "matches of the new firm")
    grid = tab.locator('[data-testid="stDataFrame"]').first
    first = tab.locator('[data-testid="stMain"] h3').first.inner_text().split("↔", 1)[1].strip()
    # the table is redrawn after the run (its cells may still show the previous party's list for a moment)
    expect_row(grid, 0, first)
    names = grid_names(grid, 3)
    assert all(names) and NEW_NAME not in names, f"the ranked matches: {names}"
    assert grid.locator('[data-testid="glide-cell-1-0"]').inner_text().strip() == "1"

    # open a pair by clicking its row (the second, then the first), then follow it up
    box = grid.bounding_box()
    header, row = 35, 35  # glide-data-grid's default header and row heights (px)
    heading = tab.locator('[data-testid="stMain"] h3').first
    tab.mouse.click(box["x"] + 17, box["y"] + header + row + row / 2)
    wait_for_heading(tab, f"↔ {names[1]}")
    wait_for_run(tab)
    tab.mouse.click(box["x"] + 17, box["y"] + header + row / 2)
    wait_for_heading(tab, f"↔ {names[0]}")
    wait_for_run(tab)
    assert heading.inner_text().strip() == s("matches.detail", "zh", a=NEW_NAME, b=names[0])

    form = tab.locator('[data-testid="stForm"]')
    status = form.locator('[data-testid="stSelectbox"]').first.locator("input[role=combobox]")
    status.click()
    status.press("ArrowDown")  # opens the list (a click only focuses the combo box)
    tab.get_by_role("option", name=status_name("contacted", "zh"), exact=True).click()
    expect(status).to_have_value(status_name("contacted", "zh"))
    form.get_by_role("button", name=s("matches.save", "zh")).click()
    tab.get_by_text(s("matches.shortlist", "zh"), exact=True).wait_for(timeout=60_000)
    wait_for_run(tab, s("matches.title", "zh"))
    assert_no_exception(tab, "follow-up saved")
    screenshot(tab, "flow_matches_zh")

    shortlist = store.shortlist(NEW_CODE)
    assert len(shortlist) == 1, shortlist
    pair = shortlist.iloc[0]
    candidate = store.profile("organisations", pair.candidate_id) or store.profile("projects", pair.candidate_id)
    assert pair.status == "contacted"
    assert names[0] in (candidate.get("name"), candidate.get("title")), (pair.candidate_id, names[0])


# ---------------------------------------------------------------------------------------------- following up
# The flow's query: a demo firm with stated needs (rail vehicles in Suzhou); only this test follows it up.
FLOW_QUERY = "苏州同程轨道车辆有限公司"
GRID_HEADER, GRID_ROW = 35, 35  # glide-data-grid's default header and row heights (px)


def open_row(tab, grid, row: int, query: str, name: str) -> None:
    """Click a row's selection box in the match table; its pair opens below."""
    tab.evaluate("() => document.querySelector('[data-testid=\"stMain\"]').scrollTo(0, 0)")  # a save scrolls down
    grid.scroll_into_view_if_needed()
    box = grid.bounding_box()
    assert box and box["y"] >= 0 and box["y"] + GRID_HEADER + (row + 1) * GRID_ROW <= tab.viewport_size["height"], box
    tab.mouse.click(box["x"] + 17, box["y"] + GRID_HEADER + row * GRID_ROW + GRID_ROW / 2)
    wait_for_heading(tab, f"{query} ↔ {name}")
    wait_for_run(tab)


def choose(tab, combo, option: str) -> None:
    """Pick ``option`` in a Streamlit select box (a click only focuses the combo box; ArrowDown opens it)."""
    combo.click()
    combo.press("ArrowDown")
    tab.get_by_role("option", name=option, exact=True).click()
    expect(combo).to_have_value(option)


def follow_up_form(tab, lang: str = "zh") -> dict:
    form = tab.locator('[data-testid="stForm"]')
    boxes = form.locator('[data-testid="stSelectbox"]')
    return {"form": form, "status": boxes.nth(0).locator("input[role=combobox]"),
            "reason": boxes.nth(1).locator("input[role=combobox]"),
            "owner": form.get_by_label(s("matches.owner", lang)), "note": form.get_by_label(s("matches.note", lang))}


def pair_rows(db: Path, query: str) -> dict[str, dict]:
    """The stored follow-up of every pair of ``query``: candidate id → its shortlist row (missing values as
    None, so rows compare equal)."""
    import pandas as pd

    rows = peek(db).shortlist(query).to_dict("records")
    return {r["candidate_id"]: {k: None if pd.isna(v) else v for k, v in r.items()} for r in rows}


def test_follow_up_changes_only_the_pair_it_is_about(app_server, tab):
    """Decline one pair (confirmed by name), then open another: its form shows its own state, not what was
    typed for the first, and a note saved there lands on that pair alone. Checked in the store after each
    save, and on screen."""
    db = app_server.db
    found = peek(db).search("organisations", FLOW_QUERY, 5)
    assert list(found.name) == [FLOW_QUERY], f"the demo firm {FLOW_QUERY} is not in the demo data: {found}"
    qid = found.id.iloc[0]
    assert pair_rows(db, qid) == {}, "the flow's firm was followed up before the test"
    everyone_before = peek(db).shortlist()

    seen = record_requests(tab)
    tab.goto(f"{app_server.url}/matches?org={qid}")
    wait_for_run(tab, s("matches.title", "zh"), timeout_s=300)
    wait_for_heading(tab, f"{FLOW_QUERY} ↔")
    assert_no_exception(tab, "matches of the flow's firm")
    grid = tab.locator('[data-testid="stDataFrame"]').first
    first = tab.locator('[data-testid="stMain"] h3').first.inner_text().split("↔", 1)[1].strip()
    expect_row(grid, 0, first)
    rows = [grid_party(grid, r) for r in range(4)]
    names = [name for _, name in rows]
    assert all(names) and len(set(names)) == 4 and qid not in dict(rows), rows
    (a_id, a_name), (b_id, b_name) = rows[1], rows[2]  # A is declined, B followed up

    # B: contacted, with an owner
    open_row(tab, grid, 2, FLOW_QUERY, b_name)
    f = follow_up_form(tab)
    choose(tab, f["status"], status_name("contacted", "zh"))
    f["owner"].fill("王科长")
    f["form"].get_by_role("button", name=s("matches.save", "zh")).click()
    tab.get_by_text(s("matches.saved", "zh", status=status_name("contacted", "zh"), name=b_name)).wait_for(
        timeout=60_000)
    wait_for_run(tab)
    stored = pair_rows(db, qid)
    assert set(stored) == {b_id} and (stored[b_id]["status"], stored[b_id]["owner"]) == ("contacted", "王科长")
    b_before = stored[b_id]

    # A: a fresh form (not B's values), then declined with a reason; nothing is written before the confirmation
    open_row(tab, grid, 1, FLOW_QUERY, a_name)
    f = follow_up_form(tab)
    expect(f["status"]).to_have_value(status_name("new", "zh"))
    expect(f["owner"]).to_have_value("")
    choose(tab, f["status"], status_name("declined", "zh"))
    choose(tab, f["reason"], reason_name("price", "zh"))
    f["owner"].fill("李主任")
    f["note"].fill("报价高于预算")
    f["form"].get_by_role("button", name=s("matches.save", "zh")).click()
    confirm = tab.get_by_role("button", name=s("matches.confirm_yes", "zh", name=a_name))
    confirm.wait_for(timeout=60_000)
    wait_for_run(tab)
    warning = tab.locator('[data-testid="stAlert"]', has_text=prefix("matches.confirm_decline", "zh"))
    expect(warning).to_contain_text(s("matches.confirm_decline", "zh", name=a_name, reason=reason_name("price", "zh")))
    assert pair_rows(db, qid) == {b_id: b_before}, "a decline was stored before it was confirmed"
    confirm.click()
    tab.get_by_text(s("matches.declined", "zh", name=a_name, reason=reason_name("price", "zh"))).wait_for(
        timeout=60_000)
    wait_for_run(tab)
    assert_no_exception(tab, "declined")

    stored = pair_rows(db, qid)
    assert set(stored) == {a_id, b_id}, stored
    a = stored[a_id]
    assert (a["status"], a["reason_code"], a["owner"], a["note"]) == ("declined", "price", "李主任", "报价高于预算"), a
    assert stored[b_id] == b_before, "declining A changed B"
    everyone = peek(db).shortlist()
    changed = everyone.merge(everyone_before, how="left", indicator=True).query("_merge == 'left_only'")
    assert sorted(zip(changed.query_id, changed.candidate_id, strict=True)) == sorted([(qid, a_id), (qid, b_id)])
    declined = everyone[everyone.status == "declined"]
    assert list(zip(declined.query_id, declined.candidate_id, strict=True)) == [(qid, a_id)], declined
    a_after = stored[a_id]

    # the declined pair leaves the list (B moves up into its row); B, opened again, shows its own state
    expect_row(grid, 1, b_name)
    now = grid_names(grid, 3)
    assert a_name not in now and now[:2] == [names[0], b_name], now
    open_row(tab, grid, 1, FLOW_QUERY, b_name)
    f = follow_up_form(tab)
    expect(f["status"]).to_have_value(status_name("contacted", "zh"))
    expect(f["reason"]).to_have_value("—")
    expect(f["owner"]).to_have_value("王科长")
    expect(f["note"]).to_have_value("")

    # a note on B lands on B alone, and B's history lists both of its changes
    f["note"].fill("已约下周到厂参观")
    f["form"].get_by_role("button", name=s("matches.save", "zh")).click()
    tab.get_by_text(s("matches.saved", "zh", status=status_name("contacted", "zh"), name=b_name)).wait_for(
        timeout=60_000)
    wait_for_run(tab)
    assert_no_exception(tab, "note saved")
    f = follow_up_form(tab)
    expect(f["note"]).to_have_value("")  # the note is in the history now; the box is ready for the next one
    expect(f["status"]).to_have_value(status_name("contacted", "zh"))
    stored = pair_rows(db, qid)
    b = stored[b_id]
    assert (b["status"], b["owner"], b["note"]) == ("contacted", "王科长", "已约下周到厂参观"), b
    assert stored[a_id] == a_after, "the note on B changed A"
    history = peek(db).shortlist_history(qid)
    assert sorted(zip(history.candidate_id, history.status, history.note.fillna(""), strict=True)) == sorted([
        (a_id, "declined", "报价高于预算"), (b_id, "contacted", ""), (b_id, "contacted", "已约下周到厂参观")]), history

    heading = tab.locator('[data-testid="stMain"] h3').first
    assert heading.inner_text().strip() == s("matches.detail", "zh", a=FLOW_QUERY, b=b_name)
    expander = tab.locator('[data-testid="stExpander"]', has_text=s("matches.history", "zh", n=2))
    expander.locator("summary").click()
    history_grid = expander.locator('[data-testid="stDataFrame"]')
    expect(history_grid).to_be_visible()
    notes = [history_grid.locator(f'[data-testid="glide-cell-6-{r}"]').inner_text().strip() for r in range(2)]
    assert notes == ["已约下周到厂参观", ""], notes  # latest first; column 6 is the note
    screenshot(tab, "followup_history_zh", top=tab.get_by_text(s("matches.follow_up_of", "zh", name=b_name)),
               bottom=expander)
    screenshot(tab, "matches_table_zh", top=grid)
    offsite = offsite_requests(seen, app_server)
    assert not offsite, f"the follow-up flow made requests off the app's host: {offsite}"

    # the same in English: the pair stays open, statuses and labels in English
    switch_language(tab, "en", "matches")
    wait_for_heading(tab, f"{FLOW_QUERY} ↔ {b_name}")
    assert_no_exception(tab, "follow-up in English")
    expect(grid.locator('[data-testid="glide-cell-6-1"]')).to_have_text(status_name("contacted", "en"))
    f = follow_up_form(tab, "en")
    expect(f["status"]).to_have_value(status_name("contacted", "en"))  # not the Chinese name it was drawn with
    expect(f["note"]).to_have_value("")
    expander = tab.locator('[data-testid="stExpander"]', has_text=s("matches.history", "en", n=2))
    if not expander.locator('[data-testid="stDataFrame"]').is_visible():
        expander.locator("summary").click()
    expect(expander.locator('[data-testid="glide-cell-2-0"]')).to_have_text(status_name("contacted", "en"))
    screenshot(tab, "followup_history_en", top=tab.get_by_text(s("matches.follow_up_of", "en", name=b_name)),
               bottom=expander)
    screenshot(tab, "matches_table_en", top=grid)


# ---------------------------------------------------------------------------------------------- a closed network
# a file to check (not to store) on the upload page: one valid row, one with a broken credit code
CHECK_CODE = credit_code.make("320594", "MA1BRW02")
CHECK_CSV = (
    "统一社会信用代码,名称,机构类型,城市,区县,简介,能力与产品,合作需求,合作类型\n"
    f"{CHECK_CODE},苏州浏览器检查精密部件有限公司,企业,苏州,苏州工业园区,精密零部件企业。,精密轴承座与铝合金壳体的数控加工。,"
    "需要阳极氧化与表面处理的外协厂。,supplier\n"
    "91320594MA1BRW0XX9,苏州代码有误科技有限公司,企业,苏州,吴中区,代码有误的示例。,激光切割加工。,需要钣金折弯外协。,supplier\n"
).encode()
# the benefit page's example with an agreement (its net effect), and the templates set beside it
EFFECT_TEMPLATE = "bs07_sh_nt_phased_agreement"
COMPARE_TEMPLATES = ["bs01_sh_hq_sz_nt_branches", "increment_only_with_cap"]


def template_title(stem: str, lang: str) -> str:
    from benefit_sharing.forms import scenario_templates

    return next(title for title, path in scenario_templates(lang=lang) if path.stem == stem)


def test_the_offsite_check_sees_a_request_leave(app_server, tab):
    """The recorder below is what the closed-network test relies on: a font asked from Google's host is
    caught (and refused here, so nothing leaves)."""
    seen = record_requests(tab)
    tab.route("https://fonts.gstatic.com/**", lambda route: route.abort())
    tab.goto(f"{app_server.url}/_stcore/health")
    tab.set_content('<link rel="stylesheet" href="https://fonts.gstatic.com/s/x.css"><img src="data:image/png;base64,">')
    assert offsite_requests(seen, app_server) == ["https://fonts.gstatic.com/s/x.css"], seen


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_every_page_stays_on_the_apps_host(app_server, tab, lang):
    """Each page, opened at its own address in ``lang``, asks nothing of any host but the app's: no web fonts,
    icons, map tiles or scripts from a CDN (the app runs on a closed network). On the way, the pictures of
    the pages' key parts are taken: the upload check, the firm page, the benefit page's net effect and
    comparison, the alliance network."""
    seen = record_requests(tab)
    main = tab.locator('[data-testid="stMain"]')

    def visit(page: str, query: str = "", title: str | None = None) -> None:
        tab.goto(f"{app_server.url}/{PAGES.get(page, page)}?lang={lang}{query}")
        wait_for_run(tab, title or s(f"{page}.title", lang), timeout_s=300)
        assert_no_exception(tab, f"{page} ({lang})")
        settle(tab)

    def h3(text: str):
        return main.locator("h3", has_text=text).first

    visit("overview")

    visit("upload")
    tab.locator('[data-testid="stFileUploaderDropzoneInput"]').set_input_files(
        files=[{"name": "check.csv", "mimeType": "text/csv", "buffer": CHECK_CSV}])
    h3(s("upload.report", lang, name="check.csv")).wait_for(timeout=60_000)
    wait_for_run(tab)
    assert_no_exception(tab, f"upload check ({lang})")
    expect(main).to_contain_text(prefix("upload.problems", lang))
    settle(tab)
    screenshot(tab, f"upload_check_{lang}", top=h3(s("upload.report", lang, name="check.csv")),
               bottom=h3(s("upload.history", lang)))

    visit("matches")
    wait_for_heading(tab, "↔")

    firm = peek(app_server.db).search("organisations", FLOW_QUERY, 1).id.iloc[0]
    visit("profile", f"&org={firm}", title=FLOW_QUERY)
    expect(main).to_contain_text(s("profile.top_matches", lang, k=10))
    screenshot(tab, f"profile_{lang}")

    visit("alliances")
    network = main.locator('[data-testid="stPlotlyChart"]').first
    expect(network).to_be_visible()
    screenshot(tab, f"alliances_network_{lang}", top=h3(s("alliances.network", lang)),
               bottom=main.get_by_text(fragment("alliances.network_note", lang)))

    visit("benefit")
    choose(tab, tab.get_by_role("combobox", name=s("benefit.template", lang), exact=True),
           template_title(EFFECT_TEMPLATE, lang))
    effect = h3(prefix("benefit.effect.title", lang))
    effect.wait_for(timeout=60_000)
    wait_for_run(tab)
    compare = tab.get_by_role("combobox", name=s("benefit.compare.pick", lang), exact=True)
    for stem in COMPARE_TEMPLATES:
        compare.click()
        compare.press("ArrowDown")
        tab.get_by_role("option", name=template_title(stem, lang), exact=True).click()
        wait_for_run(tab)
    compare.press("Escape")
    help_ = main.get_by_text(prefix("benefit.compare.help", lang))
    help_.wait_for(timeout=60_000)
    wait_for_run(tab)
    assert_no_exception(tab, f"benefit comparison ({lang})")
    settle(tab)
    screenshot(tab, f"benefit_effect_{lang}", top=effect, bottom=main.get_by_text(prefix("benefit.effect.help", lang)))
    screenshot(tab, f"benefit_compare_{lang}", top=h3(s("benefit.compare.title", lang)), bottom=help_)

    pages = {urlsplit(u).path for u in seen if urlsplit(u).port == app_server.port}
    assert {"/", "/upload", "/matches", "/profile", "/alliances", "/benefit"} <= pages, pages  # the check saw them
    offsite = offsite_requests(seen, app_server)
    assert not offsite, f"pages in {lang} made requests off the app's host ({app_server.url}):\n" + "\n".join(offsite)
