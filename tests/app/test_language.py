"""Each page speaks one language: rendered in Chinese it shows no English, rendered in English no Chinese.

What may appear in either language: what users wrote (organisation names, project titles, their needs and
offers, quoted in the reasons), ids and codes, the reference's own names (chain segments such as
``CRO/CDMO 服务``), and on the upload page the example spellings a user may type. The benefit-sharing page
has its own, per template (``test_benefit_page.py``)."""

from __future__ import annotations

import re

import pytest
from app_testing import open_page
from language_check import app_texts, foreign_text

from matchmaking.followup import default_actor
from matchmaking.matching.text import statements
from matchmaking.profiles import prepare
from matchmaking.profiles.templates import _EXAMPLES
from matchmaking.reference import chains
from matchmaking.services import commit
from matchmaking.store import Store

pytestmark = pytest.mark.slow

QUOTED = re.compile(r"“[^”]*”")  # a statement quoted in a reason: the user's words, in the user's language
# the match table's object cell: the two statements that met, shortened (``pair_object``), nothing else
OBJECT_CELL = re.compile(r"^[^“”\n]*↔[^“”\n]*$")


def user_content(db) -> list:
    """Everything the demo's users wrote (and the files they uploaded), longest first (so a name is removed
    before a part of it)."""
    store = Store(db, read_only=True)
    texts: set[str] = set()
    for kind, cols in (("organisations", ("credit_code", "name", "description", "offers", "seeks")),
                       ("projects", ("project_id", "title", "description", "seeks", "sponsor_credit_code"))):
        frame = store.profiles(kind)
        for col in cols:
            for v in frame[col].dropna():
                texts.add(str(v))
                texts.update(statements(str(v)))
    texts.update(store.uploads().file_name)
    store.close()
    segments = {n for s in chains().segments.values() for n in (s.name_zh, s.name_en)}
    return [*sorted(texts | segments, key=len, reverse=True), QUOTED, OBJECT_CELL]


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("page", ["overview", "alliances"])
def test_a_summary_page_speaks_one_language(app, demo_db, page, lang):
    at = open_page(app, page, lang)
    assert foreign_text(app_texts(at), lang, user_content(demo_db)) == []


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_matches_page_speaks_one_language_with_a_pair_open_and_followed_up(app, demo_db, lang):
    at = open_page(app, "matches", lang)
    status = [s for s in at.selectbox if s.key != "matches.query"][0]  # the follow-up form's status
    status.set_value("contacted")
    at.text_input[-1].set_value("已电话联系" if lang == "zh" else "phoned them")
    next(b for b in at.button if b.label in ("保存", "Save")).click().run()  # the follow-up form's
    assert not at.exception, at.exception
    texts = app_texts(at)
    assert any(t in ("跟进清单", "Shortlist") for t in texts)  # the shortlist table is on the page now
    # who made a change is a user's name, as the system knows it (``followup.actor``)
    assert foreign_text(texts, lang, [*user_content(demo_db), "已电话联系", "phoned them", default_actor()]) == []


UPLOAD = ("统一社会信用代码,名称,城市,区县,机构类型,能力与产品\n"
          "91320594MA1EXAMP3D,苏州示例电子材料有限公司,苏州,工业园区,企业,光刻胶配套试剂\n"
          "91320594MA1EXAMP30,坏代码有限公司,苏州,,企业,\n").encode()
# formats and encodings are codes; the guide shows the spellings a user may type (上海 / 上海市 / Shanghai,
# 1.2亿, 2016年) and an example row in each language
FORMATS_AND_EXAMPLES = [".xlsx", "UTF-8", "GBK", "Shanghai", "上海市", "上海", "亿", "万", "年",
                        *{v for lang in _EXAMPLES.values() for row in lang.values() for v in row.values()}]


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_upload_page_speaks_one_language_through_a_check_and_a_commit(app, demo_db, lang):
    store = Store(demo_db)  # AppTest cannot upload a file: a past upload with a rejected row, as the page stores it
    commit(store, prepare(UPLOAD, "企业名录.csv"))
    store.close()
    at = open_page(app, "upload", lang)
    at.expander[0].proto.expanded = True
    assert not at.exception, at.exception
    texts = app_texts(at)
    allowed = sorted({*FORMATS_AND_EXAMPLES, *(a for a in user_content(demo_db) if isinstance(a, str))}, key=len,
                     reverse=True)
    assert foreign_text(texts, lang, [*allowed, QUOTED, OBJECT_CELL]) == []
