"""The real app in a real browser: ``hst app`` on a copy of the demo database, driven by Debian's headless
Chromium through Python Playwright (``executable_path=/usr/bin/chromium``; never ``playwright install``).

Every page in Chinese and in English (switched with the sidebar radio): the expected headings and texts are
there, no exception is shown, Chinese glyphs are drawn by a real CJK font (not boxes), and a full-page
screenshot of each is kept in ``tests/artifacts/screenshots/<page>_<lang>.png`` for CI to collect. Then a
user's flow: upload a small file, see it checked and stored, find the new firm on the matches page, open its
first match and move it to "contacted" in the follow-up form, which the store must then hold.

The server/browser helpers (``AppServer``, ``launch_chromium``, ``wait_for_run``) live in
``bench/app_render.py``, which times the same page loads.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from app_testing import SHOTS, peek
from playwright.sync_api import expect

from app_pages.strings import STRINGS
from bench.app_render import CHROMIUM, PAGES, AppServer, page_url, wait_for_run
from matchmaking.followup import status_name
from matchmaking.reference import credit_code

pytestmark = [
    pytest.mark.browser,
    pytest.mark.slow,
    pytest.mark.skipif(not Path(CHROMIUM).exists(),
                       reason=f"{CHROMIUM} is missing: run scripts/apt_deps.sh (make apt-deps; make test does)"),
]

ROOT = Path(__file__).resolve().parents[2]
LANGS = {"zh": 0, "en": 1}
CJK_FONTS = ("WenQuanYi", "Noto Sans CJK", "Noto Serif CJK", "Droid Sans Fallback", "AR PL", "Source Han")

# what each page must show besides its title (string keys; text before a {placeholder} is matched)
EXPECTED = {
    "overview": ["overview.freshness", "overview.who", "overview.map_title", "overview.flows_title"],
    "matches": ["matches.search", "matches.party", "matches.follow_up"],
    "upload": ["upload.intro", "upload.file", "upload.history"],
    "benefit": ["benefit.results", "benefit.alloc.title"],
    "alliances": ["alliances.intro", "alliances.network", "alliances.rosters"],
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


def screenshot(tab, name: str) -> Path:
    """A full-page screenshot. Streamlit scrolls inside its main element, not the document, so the window is
    made as tall as the content first."""
    SHOTS.mkdir(parents=True, exist_ok=True)
    height = int(tab.evaluate("() => Math.max(document.querySelector('[data-testid=\"stMain\"]')?.scrollHeight"
                              " || 0, document.documentElement.scrollHeight)"))
    tab.set_viewport_size({"width": 1400, "height": min(max(height + 40, 1000), 16000)})
    tab.wait_for_timeout(400)  # charts re-lay out to the new size
    path = SHOTS / f"{name}.png"
    tab.screenshot(path=str(path), full_page=True)
    tab.set_viewport_size({"width": 1400, "height": 1000})
    return path


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
    expect(grid.locator('[data-testid="glide-cell-2-0"]')).to_have_text(first, timeout=30_000)
    names = [grid.locator(f'[data-testid="glide-cell-2-{r}"]').inner_text().strip() for r in range(3)]
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
