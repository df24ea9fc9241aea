"""Commune statistics checked against a small commune whose figures are worked out by hand below."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import event
from sqlmodel import SQLModel

from khuyenhoc_desktop.domain.titles import Title
from khuyenhoc_desktop.services import profile as profile_service
from khuyenhoc_desktop.services.profile import list_hamlets
from khuyenhoc_desktop.services.statistics import TitleFigures, commune_statistics, rate_header
from khuyenhoc_desktop.services.support_statistics import support_statistics
from khuyenhoc_desktop.services.workspace import Workspace
from khuyenhoc_desktop.storage.database import session_scope
from khuyenhoc_desktop.storage.tables import (
    Citizen,
    Clan,
    Decision,
    Evaluation,
    Hamlet,
    Household,
    Unit,
    utc_now,
)
from tests.conftest import commune_profile

YEAR = 2025


def _decision(title: Title, number: str, revoked: bool = False) -> Decision:
    return Decision(
        title=title,
        year=YEAR,
        number=number,
        signed_on="2025-12-10",
        signer_title="Chủ tịch",
        signer_name="Nguyễn Văn Tư",
        deleted_at=utc_now() if revoked else None,
    )


def _evaluation(title: Title, subject_id: str, decision: Decision | None = None, **fields: Any) -> Evaluation:
    values: dict[str, Any] = {"registered_on": "2025-03-01", "year": YEAR, **fields}
    return Evaluation(title=title, subject_id=subject_id, decision_id=decision.id if decision else None, **values)


@pytest.fixture
def commune(workspace: Workspace) -> Workspace:
    """The fixture's three hamlets A = Ấp Vĩnh Thạnh, B = Ấp Phước Lợi, C = Ấp Đông Điền, plus a removed D."""
    a, b, c = (h.id for h in list_hamlets(workspace))
    d = Hamlet(name="Ấp Cũ", position=3, deleted_at=utc_now())
    rows: list[SQLModel] = [d]

    def add(*new: SQLModel) -> None:
        rows.extend(new)

    family = _decision(Title.FAMILY, "12/QĐ-UBND")
    family_revoked = _decision(Title.FAMILY, "09/QĐ-UBND", revoked=True)
    clan_decision = _decision(Title.CLAN, "13/QĐ-UBND")
    community = _decision(Title.COMMUNITY, "14/QĐ-UBND")
    unit_decision = _decision(Title.UNIT, "15/QĐ-UBND")
    citizen_decision = _decision(Title.CITIZEN, "16/QĐ-HKH")
    add(family, family_revoked, clan_decision, community, unit_decision, citizen_decision)

    # Households: A has h1 h2 h3 (and h4, deleted), B has h5 h6, C none.
    h1, h2, h3, h5, h6 = (Household(code=f"0000{i}", hamlet_id=hamlet) for i, hamlet in enumerate([a, a, a, b, b], 1))
    h4 = Household(code="00009", hamlet_id=a, deleted_at=utc_now())
    add(h1, h2, h3, h4, h5, h6)
    add(
        _evaluation(Title.FAMILY, h1.id, family),  # recognised
        _evaluation(Title.FAMILY, h2.id, family_revoked),  # its decision was revoked: registered only
        _evaluation(Title.FAMILY, h3.id),  # registered, not yet decided
        _evaluation(Title.FAMILY, h4.id, family),  # the household is deleted: not counted
        _evaluation(Title.FAMILY, h5.id, family),  # recognised
        _evaluation(Title.FAMILY, h6.id, family, year=2024),  # another year
        _evaluation(Title.FAMILY, h6.id, family, deleted_at=utc_now()),  # a deleted registration
    )

    # Clans: K1 covers A and B, K2 covers A (listed twice), K3 covers C, K4 (deleted) covers B.
    k1 = Clan(name="Họ Nguyễn", hamlet_ids=json.dumps([a, b]))
    k2 = Clan(name="Họ Trần", hamlet_ids=json.dumps([a, a]))
    k3 = Clan(name="Họ Lê", hamlet_ids=json.dumps([c]))
    k4 = Clan(name="Họ Phạm", hamlet_ids=json.dumps([b]), deleted_at=utc_now())
    add(k1, k2, k3, k4)
    add(
        _evaluation(Title.CLAN, k1.id, clan_decision),
        _evaluation(Title.CLAN, k2.id),
        _evaluation(Title.CLAN, k3.id, clan_decision),
        _evaluation(Title.CLAN, k4.id, clan_decision),
    )

    # Communities: A recognised, B registered, C not registered, the removed D registered (not counted).
    add(
        _evaluation(Title.COMMUNITY, a, community),
        _evaluation(Title.COMMUNITY, b),
        _evaluation(Title.COMMUNITY, d.id, community),
    )

    # Units: U1 in A recognised, U2 without a hamlet recognised, U3 in B not registered, U4 in D recognised.
    u1 = Unit(name="Trường Tiểu học Vĩnh Thạnh", kind="truong_hoc", hamlet_id=a)
    u2 = Unit(name="Hợp tác xã Nông nghiệp Phước Vĩnh Tây", kind="hop_tac_xa")
    u3 = Unit(name="Trạm Y tế xã", kind="co_quan", hamlet_id=b)
    u4 = Unit(name="Công ty TNHH Đông Điền", kind="doanh_nghiep", hamlet_id=d.id)
    add(u1, u2, u3, u4)
    add(
        _evaluation(Title.UNIT, u1.id, unit_decision),
        _evaluation(Title.UNIT, u2.id, unit_decision),
        _evaluation(Title.UNIT, u4.id, unit_decision),
    )

    # Citizens: P1 (A) recognised, P2 (A) not, P3 (B) evaluated only in 2024, P4 (no hamlet) recognised.
    p1 = Citizen(full_name="Nguyễn Thị Lan", hamlet_id=a)
    p2 = Citizen(full_name="Trần Văn Bình", hamlet_id=a)
    p3 = Citizen(full_name="Lê Thị Mỹ", hamlet_id=b)
    p4 = Citizen(full_name="Phạm Đức Hùng")
    add(p1, p2, p3, p4)
    add(
        _evaluation(Title.CITIZEN, p1.id, citizen_decision),
        _evaluation(Title.CITIZEN, p2.id),
        _evaluation(Title.CITIZEN, p3.id, citizen_decision, year=2024),
        _evaluation(Title.CITIZEN, p4.id, citizen_decision),
    )

    with session_scope(workspace.engine) as session:
        session.add_all(rows[:1])  # the hamlet first: units point at it
        session.flush()
        session.add_all(rows[1:])
    return workspace


def counts(figures: TitleFigures) -> tuple[int, int, int, float | None]:
    rate = None if figures.rate is None else round(figures.rate, 4)
    return figures.total, figures.registered, figures.recognised, rate


# (total, registered, recognised, rate) per hamlet A, B, C and for the commune, worked out by hand:
EXPECTED = {
    # households: A 3 (h4 deleted), B 2, C 0; registered A h1 h2 h3, B h5; recognised h1, h5 (h2's decision
    # was revoked). The rate is over all households: A 1/3, B 1/2, C none; commune 2/5.
    Title.FAMILY: [(3, 3, 1, 0.3333), (2, 1, 1, 0.5), (0, 0, 0, None), (5, 4, 2, 0.4)],
    # clans covering: A K1 K2, B K1, C K3 (sum 4) but the commune has 3 live clans; all registered, K1 and
    # K3 recognised. The rate is over those registered: A 1/2, B 1/1, C 1/1, commune 2/3.
    Title.CLAN: [(2, 2, 1, 0.5), (1, 1, 1, 1.0), (1, 1, 1, 1.0), (3, 3, 2, 0.6667)],
    # each live hamlet is one community; A recognised, B registered; D is removed. Rate over all: 1/3.
    Title.COMMUNITY: [(1, 1, 1, 1.0), (1, 1, 0, 0.0), (1, 0, 0, 0.0), (3, 2, 1, 0.3333)],
    # units: A U1, B U3, C none; the commune adds U2 (no hamlet) and U4 (removed hamlet): 4 units, U1 U2 U4
    # registered and recognised: 3/3. B has nothing registered: no rate.
    Title.UNIT: [(1, 1, 1, 1.0), (1, 0, 0, None), (0, 0, 0, None), (4, 3, 3, 1.0)],
    # citizens evaluated in 2025: A P1 P2, commune adds P4; P3 (2024 only) is in no total. Recognised P1, P4.
    Title.CITIZEN: [(2, 2, 1, 0.5), (0, 0, 0, None), (0, 0, 0, None), (3, 3, 2, 0.6667)],
}


def test_figures_match_the_hand_count(commune: Workspace) -> None:
    stats = commune_statistics(commune, YEAR)
    assert [h.hamlet_name for h in stats.hamlets] == ["Ấp Vĩnh Thạnh", "Ấp Phước Lợi", "Ấp Đông Điền"]
    for title, expected in EXPECTED.items():
        found = [counts(h.figures[title]) for h in stats.hamlets] + [counts(stats.total[title])]
        assert found == expected, title


def test_denominators_are_named_and_used(commune: Workspace) -> None:
    total = commune_statistics(commune, YEAR).total
    assert total[Title.FAMILY].denominator == 5
    assert total[Title.FAMILY].denominator_label == "trên tổng số hộ"
    assert total[Title.CLAN].denominator == 3
    assert total[Title.CLAN].denominator_label == "trên số đăng ký"
    assert total[Title.COMMUNITY].denominator_label == "trên tổng số ấp"
    assert total[Title.UNIT].denominator == 3  # registered, not the 4 units
    assert total[Title.CITIZEN].title_label == "Công dân học tập"
    assert rate_header(Title.FAMILY) == "Tỷ lệ (trên tổng số hộ)"


def test_profile_and_year_travel_with_the_figures(commune: Workspace) -> None:
    stats = commune_statistics(commune, YEAR)
    assert (stats.commune_name, stats.province_name, stats.year) == ("Xã Phước Vĩnh Tây", "Tây Ninh", 2025)
    assert (stats.association_name, stats.signer_title, stats.signer_name) == (
        "Hội Khuyến học xã Phước Vĩnh Tây",
        "Chủ tịch",
        "Nguyễn Văn Tư",
    )


def test_another_year_counts_only_its_own_evaluations(commune: Workspace) -> None:
    total = commune_statistics(commune, 2024).total
    assert counts(total[Title.FAMILY]) == (5, 1, 1, 0.2)  # h6's 2024 recognition
    assert counts(total[Title.CITIZEN]) == (1, 1, 1, 1.0)  # P3
    assert counts(total[Title.CLAN]) == (3, 0, 0, None)


def test_a_commune_without_evaluations_has_totals_and_no_rates(workspace: Workspace) -> None:
    stats = commune_statistics(workspace, YEAR)
    assert [counts(h.figures[Title.COMMUNITY]) for h in stats.hamlets] == [(1, 0, 0, 0.0)] * 3
    assert counts(stats.total[Title.UNIT]) == (0, 0, 0, None)


def _statements(workspace: Workspace, count: Callable[[Workspace, int], object]) -> list[str]:
    statements: list[str] = []

    def log(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        if statement.lstrip().upper().startswith(("SELECT", "WITH")):
            statements.append(statement)

    event.listen(workspace.engine, "before_cursor_execute", log)
    try:
        count(workspace, YEAR)
    finally:
        event.remove(workspace.engine, "before_cursor_execute", log)
    return statements


def test_counted_in_a_fixed_number_of_queries(commune: Workspace, tmp_path: Path) -> None:
    """The figures come from SQL aggregates, not from a query per record: the titles take two statements,
    the support lines their own fixed few, whatever the commune holds."""
    support = _statements(commune, support_statistics)
    everything = _statements(commune, commune_statistics)
    assert len(everything) - len(support) == 2
    empty = Workspace.open(tmp_path / "xa-trong")
    try:
        profile_service.set_up(empty, commune_profile(), ["Ấp Một"])
        assert len(_statements(empty, commune_statistics)) == len(everything)
    finally:
        empty.close(backup=False)


def test_the_support_lines_travel_with_the_figures(commune: Workspace) -> None:
    stats = commune_statistics(commune, YEAR)
    assert stats.support is not None and stats.support.year == YEAR
    assert stats.support.mobilised == 0
