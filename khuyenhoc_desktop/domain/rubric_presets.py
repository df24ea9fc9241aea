"""The rubrics shipped with the app, installed into a data folder on first use. They are data, in
resources/rubrics/presets.json (shipped in the bundle like the fonts), so a province's wording can be changed
without touching code.

QĐ 448/QĐ-KHVN fixes the criteria of families, clans, hamlet communities and units and a few point values
(families: children's learning 30 points, of which 10 for all school-age children at school); the other
point values and the indicator wording in that file complete that structure sensibly and are meant to be edited
to the province's own guidance. The citizens' rubric follows QĐ 244/QĐ-KHVN (2022) as revised by
QĐ 324/QĐ-KHVN (2023): ten indicators of ten points, pass with 80 and no indicator under 5.
"""

from __future__ import annotations

from typing import Any

from khuyenhoc_desktop.domain.rubric import Rubric, criteria_from_json
from khuyenhoc_desktop.domain.titles import Title
from khuyenhoc_desktop.resources import RUBRIC_PRESETS, read_json

# The one fact the app can compute for a family: every school-age member is at school (see services.prefill).
SCHOOL_AGE_CHILDREN_IN_SCHOOL = "school_age_children_in_school"


def _rubric(data: dict[str, Any]) -> Rubric:
    return Rubric(
        title=Title(data["title"]),
        name=data["name"],
        version=int(data["version"]),
        pass_mark=int(data["pass_mark"]),
        criteria=criteria_from_json(data["criteria"]),
        valid_from=int(data["valid_from"]),
        valid_to=data["valid_to"],
        basis=data["basis"],
    )


# (preset key, rubric), in the order the rubric list shows them: the key ties a stored rubric and its later versions
# to the preset it came from.
PRESETS: tuple[tuple[str, Rubric], ...] = tuple((item["key"], _rubric(item)) for item in read_json(RUBRIC_PRESETS))


def _preset(title: Title) -> Rubric:
    return next(rubric for _, rubric in PRESETS if rubric.title == title)


FAMILY = _preset(Title.FAMILY)
CLAN = _preset(Title.CLAN)
COMMUNITY = _preset(Title.COMMUNITY)
UNIT = _preset(Title.UNIT)
CITIZEN = _preset(Title.CITIZEN)
