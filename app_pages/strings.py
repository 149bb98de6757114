"""Every user-visible string of the app, in Chinese and English: key → (zh, en).

Each page has its own section; add keys in your page's section only. ``{name}`` marks a placeholder.
"""

STRINGS: dict[str, tuple[str, str]] = {
    # ---------------------------------------------------------------- common
    "app.title": ("沪苏通产业联盟", "Shanghai–Suzhou–Nantong Industry Alliance"),
    "nav.overview": ("概览", "Overview"),
    "nav.matches": ("匹配", "Matches"),
    "nav.upload": ("上传", "Upload"),
    "nav.benefit": ("利益分享", "Benefit sharing"),
    "nav.alliances": ("联盟", "Alliances"),
    "common.city": ("城市", "City"),
    "common.chain": ("产业链", "Industry chain"),
    "common.org_type": ("机构类型", "Organisation type"),
    "common.relation": ("关系", "Relation"),
    "common.score": ("得分", "Score"),
    "common.name": ("名称", "Name"),
    "common.none": ("暂无数据", "No data yet"),
    "common.db": ("数据库", "Database"),
    "city.Shanghai": ("上海", "Shanghai"),
    "city.Suzhou": ("苏州", "Suzhou"),
    "city.Nantong": ("南通", "Nantong"),
    "orgtype.enterprise": ("企业", "Enterprise"),
    "orgtype.university": ("高校", "University"),
    "orgtype.institute": ("科研院所", "Research institute"),
    "orgtype.investor": ("投资机构", "Investor"),
    "orgtype.project": ("项目", "Project"),
    # ---------------------------------------------------------------- overview
    # ---------------------------------------------------------------- matches
    "matches.title": ("匹配推荐", "Matches"),
    "matches.search": ("查找机构或项目（名称或代码）", "Find an organisation or project (name or code)"),
    "matches.search_hint": ("例如：光刻胶、91320594…、P-SZ-0001", "e.g. photoresist, 91320594…, P-SZ-0001"),
    "matches.no_party": ("没有找到符合的机构或项目", "No organisation or project matches that search"),
    "matches.party": ("机构或项目", "Organisation or project"),
    "matches.filters": ("筛选条件", "Filters"),
    "matches.cross_only": ("只看跨城", "Cross-city only"),
    "matches.min_score": ("最低得分", "Minimum score"),
    "matches.needs": ("合作需求（{n} 项）", "Stated needs ({n})"),
    "matches.no_needs": ("{name} 未填写合作需求：以下是需要其产品或能力的各方（潜在客户）",
                         "{name} states no needs: these parties need what it offers (would-be customers)"),
    "matches.empty": ("没有符合筛选条件的匹配", "No match passes these filters"),
    "matches.why": ("匹配理由", "Why"),
    "matches.status": ("跟进状态", "Status"),
    "matches.detail": ("{a} ↔ {b}", "{a} ↔ {b}"),
    "matches.for_you": ("对您的价值", "What it gives you"),
    "matches.for_them": ("对 {name} 的价值", "What it gives {name}"),
    "matches.total": ("总分", "Total"),
    "matches.waterfall": ("得分构成", "How the score is made"),
    "matches.parts": ("得分明细（信号、原始值、权重、得分）", "Score parts (signal, raw value, weight, points)"),
    "matches.follow_up": ("跟进", "Follow-up"),
    "matches.reason": ("放弃原因（放弃时必填）", "Reason (required to decline)"),
    "matches.note": ("备注", "Note"),
    "matches.save": ("保存", "Save"),
    "matches.saved": ("已保存：{status}", "Saved: {status}"),
    "matches.shortlist": ("跟进清单", "Shortlist"),
    # ---------------------------------------------------------------- upload
    # ---------------------------------------------------------------- benefit
    # ---------------------------------------------------------------- alliances
}
