"""A year's commune statistics per title: total, registered, recognised and the rate, per hamlet and in total;
with the year's support work (services/support_statistics.py) alongside, for the report's second part.

One SQL statement counts the titles, so the screen, the workbook, the PDF and `khuyenhoc report` show the
same figures. The rules (also printed as notes under every report, see `NOTES`):
- registered: a live evaluation for the title and year whose subject is still live;
- recognised: one of those whose decision is live (a revoked decision un-recognises its batch);
- totals per hamlet: its live households; the hamlet itself; the clans covering it; the units in it;
- a clan counts in each hamlet it covers and once in the commune total; a unit without a hamlet only in the
  total; citizens are recorded only when evaluated, so their total is the number registered.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import text

from khuyenhoc_desktop.domain.titles import (
    TITLE_DENOMINATOR,
    TITLE_LABELS,
    Denominator,
    Title,
    denominator_label,
)
from khuyenhoc_desktop.services.support_statistics import SupportStatistics, support_statistics
from khuyenhoc_desktop.services.workspace import Workspace
from khuyenhoc_desktop.storage.database import session_scope

FIGURE_HEADERS = ("Tổng số", "Đăng ký", "Công nhận")

# Column groups are narrow on screen and paper: the title without its "học tập".
SHORT_LABELS: dict[str, str] = {
    Title.FAMILY: "Gia đình",
    Title.CLAN: "Dòng họ",
    Title.COMMUNITY: "Cộng đồng",
    Title.UNIT: "Đơn vị",
    Title.CITIZEN: "Công dân",
}

NOTES = (
    "Đăng ký: hồ sơ đăng ký danh hiệu trong năm còn trong sổ (không tính hồ sơ hoặc đối tượng đã xóa).",
    "Công nhận: hồ sơ đã có quyết định công nhận còn hiệu lực (quyết định đã hủy thì không tính).",
    "Gia đình học tập: tổng số là số hộ gia đình trong sổ; tỷ lệ tính trên tổng số hộ.",
    "Dòng họ học tập: một dòng họ sống ở nhiều ấp được tính ở mỗi ấp, dòng tổng toàn xã tính mỗi dòng họ "
    "một lần; tỷ lệ tính trên số dòng họ đăng ký.",
    "Cộng đồng học tập cấp thôn, ấp, khu phố: mỗi ấp là một cộng đồng; tỷ lệ tính trên tổng số ấp.",
    "Đơn vị học tập: đơn vị chưa gắn với ấp nào chỉ có trong dòng tổng toàn xã; tỷ lệ tính trên số đơn vị đăng ký.",
    "Công dân học tập: sổ chỉ ghi những người được đánh giá, nên tổng số là số người đăng ký; tỷ lệ tính trên "
    "số đăng ký.",
)


@dataclass(frozen=True, slots=True)
class TitleFigures:
    title: str
    title_label: str
    total: int
    registered: int
    recognised: int
    rate: float | None  # recognised / denominator; None when nothing to divide by
    denominator: int
    denominator_label: str  # "trên tổng số hộ", "trên số đăng ký"


@dataclass(frozen=True, slots=True)
class HamletFigures:
    hamlet_id: str
    hamlet_name: str
    figures: dict[str, TitleFigures]


@dataclass(frozen=True, slots=True)
class CommuneStatistics:
    commune_name: str  # "Xã Phước Vĩnh Tây"; "" for a consolidating office
    province_name: str
    year: int
    hamlets: list[HamletFigures]  # in the hamlets' own order
    total: dict[str, TitleFigures]
    generated_at: datetime  # local time, for the date line
    association_name: str = ""
    signer_title: str = ""
    signer_name: str = ""
    support: SupportStatistics | None = None  # the year's scholarships, fund, activities and honours


def figures(title: str, total: int, registered: int, recognised: int) -> TitleFigures:
    if title == Title.CITIZEN:
        total = registered
    denominator = total if TITLE_DENOMINATOR[title] == Denominator.ALL else registered
    return TitleFigures(
        title=title,
        title_label=TITLE_LABELS[title],
        total=total,
        registered=registered,
        recognised=recognised,
        rate=recognised / denominator if denominator else None,
        denominator=denominator,
        denominator_label=denominator_label(title),
    )


def rate_header(title: str) -> str:
    """ "Tỷ lệ (trên tổng số hộ)": a rate is never shown without what it was divided by."""
    return f"Tỷ lệ ({denominator_label(title)})"


# Every live subject of every title with the hamlet it is counted in (NULL: the commune total only), joined
# to its evaluation of the year. A clan yields one row per hamlet it covers.
_COUNT_SQL = """
WITH subject(title, subject_id, hamlet_id) AS (
    SELECT :family, id, hamlet_id FROM household WHERE deleted_at IS NULL
    UNION ALL
    SELECT DISTINCT :clan, c.id, j.value FROM clan c LEFT JOIN json_each(c.hamlet_ids) j WHERE c.deleted_at IS NULL
    UNION ALL
    SELECT :community, id, id FROM hamlet WHERE deleted_at IS NULL
    UNION ALL
    SELECT :unit, id, hamlet_id FROM unit WHERE deleted_at IS NULL
    UNION ALL
    SELECT :citizen, id, hamlet_id FROM citizen WHERE deleted_at IS NULL
),
counted AS (
    SELECT s.title, s.subject_id, s.hamlet_id,
           e.id IS NOT NULL AS registered, d.id IS NOT NULL AS recognised
    FROM subject s
    LEFT JOIN evaluation e
           ON e.title = s.title AND e.subject_id = s.subject_id AND e.year = :year AND e.deleted_at IS NULL
    LEFT JOIN decision d ON d.id = e.decision_id AND d.deleted_at IS NULL
)
SELECT 0, title, hamlet_id, count(DISTINCT subject_id),
       count(DISTINCT CASE WHEN registered THEN subject_id END),
       count(DISTINCT CASE WHEN recognised THEN subject_id END)
FROM counted WHERE hamlet_id IS NOT NULL GROUP BY title, hamlet_id
UNION ALL
SELECT 1, title, NULL, count(DISTINCT subject_id),
       count(DISTINCT CASE WHEN registered THEN subject_id END),
       count(DISTINCT CASE WHEN recognised THEN subject_id END)
FROM counted GROUP BY title
"""

_HAMLETS_SQL = "SELECT id, name FROM hamlet WHERE deleted_at IS NULL ORDER BY position, name"

Counts = tuple[int, int, int]


def commune_statistics(workspace: Workspace, year: int) -> CommuneStatistics:
    params: dict[str, object] = {
        "year": year,
        "family": Title.FAMILY.value,
        "clan": Title.CLAN.value,
        "community": Title.COMMUNITY.value,
        "unit": Title.UNIT.value,
        "citizen": Title.CITIZEN.value,
    }
    with session_scope(workspace.engine) as session:
        hamlets = session.execute(text(_HAMLETS_SQL)).all()
        counts = session.execute(text(_COUNT_SQL), params).all()
    per_hamlet: dict[str, dict[str, Counts]] = {}
    commune: dict[str, Counts] = {}
    for is_total, title, hamlet_id, total, registered, recognised in counts:
        found = commune if is_total else per_hamlet.setdefault(hamlet_id, {})
        found[title] = (total, registered, recognised)

    def by_title(found: dict[str, Counts]) -> dict[str, TitleFigures]:
        return {t.value: figures(t.value, *found.get(t.value, (0, 0, 0))) for t in Title}

    profile = workspace.profile
    return CommuneStatistics(
        commune_name=profile.commune_name if profile else "",
        province_name=profile.province_name if profile else "",
        year=year,
        hamlets=[
            HamletFigures(hamlet_id, name, by_title(per_hamlet.get(hamlet_id, {}))) for hamlet_id, name in hamlets
        ],
        total=by_title(commune),
        generated_at=datetime.now().astimezone(),
        association_name=profile.association_name if profile else "",
        signer_title=profile.signer_title if profile else "",
        signer_name=profile.signer_name if profile else "",
        support=support_statistics(workspace, year),
    )
