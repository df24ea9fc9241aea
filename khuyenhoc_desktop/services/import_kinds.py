"""The lists an officer can bring in from a spreadsheet, by the name `khuyenhoc import --kind` gives them.

The learning citizens' results are imported apart (services/citizen_import.py): they need the year and the
indicators of that year's rubric, which no other list has.
"""

from __future__ import annotations

from khuyenhoc_desktop.services.household_import import HOUSEHOLDS
from khuyenhoc_desktop.services.member_import import MEMBERS
from khuyenhoc_desktop.services.scholarship_import import SCHOLARSHIPS
from khuyenhoc_desktop.services.spreadsheet_import import ImportKind

KINDS: dict[str, ImportKind] = {kind.key: kind for kind in (HOUSEHOLDS, MEMBERS, SCHOLARSHIPS)}
