"""Text handling for matching: language, statements, tokens.

A profile's ``seeks`` often states several needs at once ("需要稳定的光刻胶供应；同时寻找12英寸硅片供应商").
Matching them as one blurred vector lets a candidate that half-meets two needs beat one that fully
meets one, so texts are split into *statements* and matched statement by statement.
"""

from __future__ import annotations

import re

__all__ = ["lang_of", "statements", "tokens", "normalise", "is_cjk", "stem"]

_CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_LATIN = re.compile(r"[A-Za-z]")
# sentence ends, semicolons, line breaks; an English full stop only before a capital letter
_SPLIT = re.compile(r"[。！？!?；;\n]+|(?<=[a-z0-9)])\.\s+(?=[A-Z(])")
# list markers such as 1、 (2) ② • - at the start of a text, after whitespace or after punctuation
_MARKER = re.compile(r"(?:^|(?<=[\s，,：:。；;]))(?:[(（]\d{1,2}[)）]|\d{1,2}[、.．)）](?!\d)|[①②③④⑤⑥⑦⑧⑨⑩]|[•▪●◆■]|-(?=\s))\s*")
# Chinese clauses that open a new need after a comma: "，同时寻找…", "，另外需要…"
_ZH_CLAUSE = re.compile(r"[，,]\s*(?=(?:同时|另外|此外|并且|并寻求|还需要|还需|也在寻找|也希望|以及寻找|其次)\S)")
_EN_CLAUSE = re.compile(r",?\s+(?=(?:and also|we also|also seeking|in addition|additionally|as well as seeking)\b)",
                        re.IGNORECASE)
_HEAD = re.compile(r"^(?:we are |we're |currently )?(?:looking for|seeking|we need|needs?|requirements?|wanted|"
                   r"合作需求|采购需求|需求|寻求|寻找|诚寻|求购)$", re.IGNORECASE)
_MAX_STATEMENTS = 8


def is_cjk(ch: str) -> bool:
    return bool(_CJK.match(ch))


# full-width Latin letters and digits (Ａ, ｋ, １) to ASCII; Chinese punctuation is left as it is
_FULLWIDTH = {c: c - 0xFEE0 for c in (*range(0xFF10, 0xFF1A), *range(0xFF21, 0xFF3B), *range(0xFF41, 0xFF5B))}


def normalise(text: object) -> str:
    """Full-width Latin letters and digits to ASCII, collapsed whitespace. Chinese punctuation is kept."""
    return re.sub(r"[ \t\u3000]+", " ", str(text or "").translate(_FULLWIDTH)).strip()


def lang_of(text: str) -> str:
    """'zh' when Chinese characters carry the text, else 'en' (English terms inside Chinese text are common)."""
    cjk = len(_CJK.findall(text))
    latin = len(_LATIN.findall(text))
    return "zh" if cjk * 3 >= latin and cjk > 0 else "en"


def _weight(piece: str) -> int:
    """How much a piece says: Chinese characters count one each, English words two each."""
    return len(_CJK.findall(piece)) + 2 * len(re.findall(r"[A-Za-z][A-Za-z0-9\-]+", piece))


def statements(text: str, min_weight: int = 4) -> list[str]:
    """Split a text into the separate statements (needs or offers) it makes; fragments too short to
    stand alone ("月用量约2吨" is kept, "及配套" is not) are joined to the statement before them."""
    text = normalise(text)
    if not text:
        return []
    text = _ZH_CLAUSE.sub("\n", text)
    text = _EN_CLAUSE.sub("\n", text)
    text = _MARKER.sub("\n", text)
    parts = [p.strip(" ,，:：、.") for p in _SPLIT.split(text)]
    parts = [p for p in parts if p]
    out: list[str] = []
    for p in parts:
        if out and _weight(p) < min_weight:
            out[-1] = f"{out[-1]}；{p}" if lang_of(p) == "zh" else f"{out[-1]}; {p}"
        else:
            out.append(p)
    if len(out) > 1 and (_weight(out[0]) < min_weight or _HEAD.match(out[0])):  # "Looking for:" heads a list
        out[1] = f"{out[0]} {out[1]}"
        out.pop(0)
    if len(out) > _MAX_STATEMENTS:  # keep the cost bounded: the tail joins the last statement
        out = out[: _MAX_STATEMENTS - 1] + ["；".join(out[_MAX_STATEMENTS - 1:])]
    return out


_EN_STOP = frozenset("""a an the and or of for to in on with by at from as is are be we our us you your their it its
this that these those can will would should may per via into over under than more most such other also etc
need needs seek seeks looking look require requires required requirement requirements provide provides
supply supplies offering offer offers capable capability capabilities including include includes based
company firm co ltd limited inc group""".split())
_EN_WORD = re.compile(r"[a-z][a-z0-9+\-]*[a-z0-9+]|[a-z0-9]+")


def stem(w: str) -> str:
    if len(w) > 4 and w.endswith("ies"):
        return w[:-3] + "y"
    if len(w) > 3 and w.endswith("es") and w[-3] in "sxz":
        return w[:-2]
    if len(w) > 3 and w.endswith("s") and not w.endswith("ss"):
        return w[:-1]
    return w


def tokens(text: str) -> list[str]:
    """Sparse-channel tokens: Chinese characters and character bigrams (no word segmenter needed, and
    robust to the many ways a term is written), English words (light plural stemming) and word bigrams;
    Latin terms inside Chinese text (KrF, IGBT, CDMO) become words too, which bridges some zh↔en pairs."""
    s = normalise(text).lower()
    out: list[str] = []
    for run in re.findall(r"[\u3400-\u4dbf\u4e00-\u9fff]+|[a-z0-9][a-z0-9+\-./]*", s):
        if _CJK.match(run):
            out.extend(run)
            out.extend(run[i:i + 2] for i in range(len(run) - 1))
        else:
            words = [stem(w) for w in _EN_WORD.findall(run)]
            out.extend(w for w in words if w not in _EN_STOP and len(w) > 1)
    # English word bigrams (on the stop-word-free sequence of one text)
    eng = [t for t in out if t.isascii() and not t.isdigit()]
    out.extend(f"{a} {b}" for a, b in zip(eng, eng[1:], strict=False))
    return out
