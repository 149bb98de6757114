"""Fixtures for the matching tests: small synthetic profile sets and the fast stand-in embedder.
(The real model is exercised end to end in test_matching_e2e.py.)"""

from __future__ import annotations

import random
import shutil

import pandas as pd
import pytest
from hst_testing import hst

from matchmaking.embedding import HashEmbedder
from matchmaking.reference.credit_code import ALPHABET, make

_SUPPLY = [("光刻胶", "photoresist"), ("12英寸硅片", "300 mm silicon wafers"), ("IGBT模块", "IGBT power modules"),
           ("锂电池隔膜", "battery separator film"), ("碳纤维预浸料", "carbon fibre prepreg"),
           ("船用柴油机", "marine diesel engines"), ("涤纶长丝", "polyester filament yarn"),
           ("单抗原液", "monoclonal antibody drug substance"), ("伺服电机", "servo motors"),
           ("工业机器人", "industrial robots")]


def synthetic(n: int, seed: int = 0, projects: int = 0) -> tuple[pd.DataFrame, pd.DataFrame]:
    rng = random.Random(seed)
    rows, codes = [], set()
    for i in range(n):
        zh = rng.random() < 0.6
        off, need = rng.sample(_SUPPLY, 2)
        while True:
            code = make(rng.choice(["310115", "320594", "320612"]), "".join(rng.choice(ALPHABET) for _ in range(8)))
            if code not in codes:
                codes.add(code)
                break
        rows.append({
            "credit_code": code, "name": f"{'企业' if zh else 'Firm'}{i}",
            "org_type": rng.choice(["enterprise"] * 6 + ["university", "institute", "investor"]),
            "city": rng.choice(["Shanghai", "Suzhou", "Nantong"]), "district": "", "industry_code": "",
            "description": "", "offers": (f"提供{off[0]}，年产能{rng.randint(1, 99)}万件" if zh else
                                          f"We supply {off[1]}, {rng.randint(1, 99)}k units a year"),
            "seeks": "" if rng.random() < 0.2 else (f"需要{need[0]}稳定供应" if zh else f"We need {need[1]}"),
            "partner_types": rng.sample(["supplier", "customer", "rd_partner", "investor", "investee"], 2)})
    orgs = pd.DataFrame(rows)
    projs = pd.DataFrame([{"project_id": f"P{i:03d}", "title": f"项目{i}", "city": "Suzhou", "district": "",
                           "industry_code": "", "description": f"{rng.choice(_SUPPLY)[0]}扩产项目",
                           "seeks": f"需要{rng.choice(_SUPPLY)[0]}；寻求A轮融资{rng.randint(1, 9)}000万元",
                           "investment_wan": rng.randint(500, 9000), "stage": "expansion",
                           "sponsor_credit_code": rows[i]["credit_code"]} for i in range(projects)],
                         columns=["project_id", "title", "city", "district", "industry_code", "description", "seeks",
                                  "investment_wan", "stage", "sponsor_credit_code"])
    return orgs, projs


def orgs_index(embed, rows):
    """A match index of a few organisations written out as dicts (no projects)."""
    from matchmaking.matching import MatchIndex

    orgs = rows if isinstance(rows, pd.DataFrame) else pd.DataFrame(rows)
    return MatchIndex(orgs, pd.DataFrame(columns=["project_id", "title", "city"]), embed)


@pytest.fixture(scope="session")
def hash_embed():
    emb = HashEmbedder(128)
    return lambda texts, role: emb.encode(texts, role)


#: The real CLI with the fast stand-in embedder (no adapter), follow-ups recorded as made by "wang".
HASH_ENV = {"HST_EMBED_MODEL": "hash", "HST_EMBED_ADAPTER": "none", "HST_USER": "wang"}


@pytest.fixture(scope="session")
def hash_demo(tmp_path_factory):
    """The demo database with hash vectors, built once through the real CLI (copy before writing)."""
    db = tmp_path_factory.mktemp("hash_demo") / "demo.duckdb"
    hst(db, "init", "--demo", env=HASH_ENV)
    hst(db, "embed", env=HASH_ENV)
    return db


@pytest.fixture()
def hash_demo_db(hash_demo, tmp_path):
    """A private copy of ``hash_demo`` for one test."""
    path = tmp_path / "hst.duckdb"
    shutil.copy(hash_demo, path)
    return path
