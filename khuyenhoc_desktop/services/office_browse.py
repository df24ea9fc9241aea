"""The office's tables browsed like a commune's registers (issue 6): one package sheet of every commune for a
period, each row with where it came from (the commune, the sequence of the package that brought it), found by
the same accent-free search and put in the same Vietnamese order as at the commune.

Rows are the plain tuples SQLite returns, read through the DBAPI cursor: a province office holds 300,000
households, and building an object per row (or going through the ORM) would double the time to open them.
Every row starts with its provenance (`COMMUNE`, `SEQUENCE`), then the sheet's columns, then the folded text
it is found by, then any stored sort keys. Households and members carry their folded search text in the
office's tables (written with the snapshot), so a search can also run in SQL; the smaller sheets are folded
here as they are read. Sort keys of text are computed once per distinct value and kept with the table read:
addresses, hamlets and given names repeat thousands of times across a province.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from operator import itemgetter
from typing import Any

from khuyenhoc_desktop.domain import admin_units
from khuyenhoc_desktop.domain.errors import UserError
from khuyenhoc_desktop.domain.text import fold, format_count, name_sort_key, sort_key
from khuyenhoc_desktop.exchange import workbook
from khuyenhoc_desktop.services import office, office_data
from khuyenhoc_desktop.services.workspace import Workspace

Row = tuple[Any, ...]
COMMUNE, SEQUENCE = 0, 1  # the provenance every row starts with
_FIRST_VALUE = 2

# How a column is shown
TEXT, COUNT, YEAR, MONEY, DATE, BOOL = "text", "count", "year", "money", "date", "bool"
# How a column sorts: Vietnamese alphabetical, a person's name (given name first), as stored, by value
ALPHABETICAL, NAME, AS_STORED, NUMBER = "alphabetical", "name", "as_stored", "number"

COMMUNE_HEADER = "Xã, phường"
SEQUENCE_HEADER = "Lần gửi"
_PIXELS_PER_CHARACTER = 7  # the workbook's column widths are in characters


@dataclass(frozen=True)
class BrowseColumn:
    key: str  # the office table's column (or a name for `sql`)
    header: str
    shown: str = TEXT
    order: str = ALPHABETICAL
    labels: Mapping[str, str] | None = None  # vocabulary code → label
    width: int = 0  # pixels
    sql: str = ""  # an expression read in place of the column


@dataclass(frozen=True)
class BrowseSheet:
    key: str  # the package sheet's key: the office table is office_<key>
    label: str
    noun: str  # what one row is, for counts ("300.000 hộ")
    columns: tuple[BrowseColumn, ...]
    search_column: str = ""  # a stored folded text; empty: folded from the shown columns as rows are read
    searched: str = "mọi cột"  # what a search looks in, in the officer's words
    stored_sort: Mapping[str, str] = field(default_factory=dict)  # column key → its stored sort key column

    @property
    def table(self) -> str:
        return office_data.table_name(self.key)


def _sheet_column(sheet: str, key: str, order: str = ALPHABETICAL, shown: str = "") -> BrowseColumn:
    """A column as the package's workbook defines it: its Vietnamese header, vocabulary and width."""
    column = next(c for c in office_data.SPECS[sheet].columns if c.key == key)
    kinds = {workbook.INT: COUNT, workbook.VND: MONEY, workbook.DATE: DATE, workbook.BOOL: BOOL}
    shown = shown or kinds.get(column.kind, TEXT)
    if order == ALPHABETICAL and shown in (COUNT, YEAR, MONEY):
        order = NUMBER
    elif order == ALPHABETICAL and shown == DATE:
        order = AS_STORED
    return BrowseColumn(key, column.header, shown, order, column.labels, column.width * _PIXELS_PER_CHARACTER)


def _columns(
    sheet: str, keys: str, names: tuple[str, ...] = (), codes: tuple[str, ...] = ()
) -> tuple[BrowseColumn, ...]:
    """The sheet's columns of these keys (space-separated): `names` sort as people's names, `codes` as typed,
    years and amounts by value, the rest alphabetically."""
    return tuple(
        _sheet_column(
            sheet,
            key,
            NAME if key in names else AS_STORED if key in codes else ALPHABETICAL,
            YEAR if key in ("birth_year", "year") else "",
        )
        for key in keys.split()
    )


def _honours(key: str, label: str) -> BrowseSheet:
    return BrowseSheet(
        key, label, "bản ghi", _columns(key, "recipient_kind recipient level issuer decision_no honoured_on content")
    )


BROWSABLE: tuple[BrowseSheet, ...] = (
    BrowseSheet(
        "households",
        "Hộ gia đình",
        "hộ",
        (
            _sheet_column("households", "code", AS_STORED),
            BrowseColumn("head_name", "Chủ hộ", order=NAME, width=200),
            *_columns("households", "hamlet_name address"),
            BrowseColumn("member_count", "Số nhân khẩu", COUNT, NUMBER, width=100),
            *_columns("households", "phone note", codes=("phone",)),
        ),
        search_column="search_key",
        searched="mã hộ, tên chủ hộ, địa chỉ, điện thoại, ghi chú",
        stored_sort={"head_name": "name_sort"},
    ),
    BrowseSheet(
        "members",
        "Thành viên",
        "người",
        _columns(
            "members",
            "full_name birth_year sex relation household_code school learning_status",
            names=("full_name",),
            codes=("household_code",),
        ),
        search_column="name_key",
        searched="họ tên",
    ),
    BrowseSheet(
        "clans",
        "Dòng họ",
        "dòng họ",
        (
            *_columns("clans", "name representative", names=("representative",)),
            BrowseColumn(
                "household_count",
                "Số hộ",
                COUNT,
                NUMBER,
                width=70,
                sql="CASE WHEN json_valid(household_ids) THEN json_array_length(household_ids) ELSE 0 END",
            ),
            *_columns("clans", "note"),
        ),
    ),
    BrowseSheet(
        "units",
        "Đơn vị",
        "đơn vị",
        _columns("units", "name kind head_name staff_count address phone note", names=("head_name",), codes=("phone",)),
    ),
    BrowseSheet(
        "citizens", "Công dân học tập", "người", _columns("citizens", "full_name birth_year sex", names=("full_name",))
    ),
    BrowseSheet(
        "awards",
        "Học bổng, quà",
        "suất",
        _columns(
            "awards",
            "pupil_name birth_year school grade category kind value_vnd sponsor school_year awarded_on recurring note",
            names=("pupil_name",),
            codes=("school_year",),
        ),
    ),
    BrowseSheet(
        "ledger",
        "Sổ quỹ khuyến học",
        "phiếu",
        _columns("ledger", "entry_on direction category voucher_no counterpart amount note", codes=("voucher_no",)),
    ),
    BrowseSheet(
        "activities",
        "Hoạt động học tập",
        "hoạt động",
        _columns("activities", "kind name field starts_on ends_on place participants note"),
    ),
    _honours("models", "Mô hình học tập"),
    _honours("commendations", "Khen thưởng"),
)
_BY_KEY = {sheet.key: sheet for sheet in BROWSABLE}


def browsable(key: str) -> BrowseSheet:
    sheet = _BY_KEY.get(key)
    if sheet is None:
        raise UserError(f"Không có bảng «{key}»; chọn một trong: {', '.join(_BY_KEY)}.")
    return sheet


@dataclass(frozen=True)
class ShownColumn:
    """One column of a table read: its header, how a row shows in it and the value it sorts by."""

    key: str  # "commune", "sequence", or the sheet column's key
    header: str
    text: Callable[[Row], str]
    sort_value: Callable[[Row], Any]
    value: Callable[[Row], Any]  # as stored: a script's CSV wants 41500, not "41.500"
    numeric: bool
    width: int


@dataclass
class BrowseTable:
    """One sheet's rows of a period, of one commune or all, and of the search they were read for, if any."""

    sheet: BrowseSheet
    period: str
    commune: str | None  # the one commune read, None for all
    search: str  # the folded query the rows were read for; "" for all rows
    rows: list[Row]
    complete: bool  # False when a limit cut the rows short
    columns: tuple[ShownColumn, ...]
    search_index: int  # where in a row its folded search text is

    def covers(self, commune: str | None, query: str) -> bool:
        """Whether these rows hold every row of `commune` (None: all) matching `query`, so narrowing them in
        memory answers it: a query that lengthens the one read finds a subset of what it found."""
        within = self.commune is None or self.commune == commune
        return self.complete and within and fold(query).startswith(self.search)

    def column(self, key: str) -> ShownColumn:
        found = next((c for c in self.columns if c.key == key), None)
        if found is None:
            keys = ", ".join(c.key for c in self.columns)
            raise UserError(f"Bảng {self.sheet.label} không có cột «{key}» để xếp; chọn một trong: {keys}.")
        return found


def _date_text(value: str | None) -> str:
    """ISO as dd/mm/yyyy; a value that is not a date stays as the commune typed it."""
    if not value or len(value) != 10 or value[4] != "-":
        return value or ""
    return f"{value[8:10]}/{value[5:7]}/{value[0:4]}"


def _formatter(column: BrowseColumn) -> Callable[[Any], str]:
    labels = column.labels
    if column.shown in (COUNT, MONEY):
        return lambda v: "" if v is None else format_count(v)
    if column.shown == YEAR:
        return lambda v: "" if v is None else str(v)
    if column.shown == DATE:
        return _date_text
    if column.shown == BOOL:
        return lambda v: "" if v is None else "Có" if v else "Không"
    if labels is not None:
        return lambda v: "" if v is None else labels.get(v, v)
    return lambda v: "" if v is None else str(v)


class _Keys:
    """Vietnamese sort keys of the texts of one table read, each computed once."""

    def __init__(self, make: Callable[[str], str]) -> None:
        self._make = make
        self._known: dict[str, str] = {}

    def __call__(self, text: str) -> str:
        key = self._known.get(text)
        if key is None:
            key = self._known[text] = self._make(text)
        return key


def _column(column: BrowseColumn, index: int, keys: dict[str, _Keys], stored_at: int | None) -> ShownColumn:
    """How the row's value at `index` shows and sorts: numbers by value (unknown first), codes and dates as
    stored, names and other text by their Vietnamese keys (or the stored key the office wrote)."""
    value = itemgetter(index)
    formatted = _formatter(column)

    def text(row: Row) -> str:
        return formatted(row[index])

    def by_number(row: Row) -> Any:
        found = row[index]
        return -1 if found is None else found

    def as_stored(row: Row) -> Any:
        return row[index] or ""

    def by_key(row: Row) -> str:
        return keys[column.order](text(row))

    sort_value: Callable[[Row], Any]
    if stored_at is not None:
        sort_value = itemgetter(stored_at)
    else:
        sort_value = {NUMBER: by_number, AS_STORED: as_stored}.get(column.order, by_key)
    numeric = column.shown in (COUNT, YEAR, MONEY)
    return ShownColumn(column.key, column.header, text, sort_value, value, numeric, column.width)


def _shown_columns(sheet: BrowseSheet, commune_names: Mapping[str, str]) -> tuple[ShownColumn, ...]:
    """The commune, the sheet's columns, then the package's sequence; sort keys are kept for this read."""
    keys = {ALPHABETICAL: _Keys(sort_key), NAME: _Keys(name_sort_key)}
    stored_at = {key: _FIRST_VALUE + len(sheet.columns) + 1 + i for i, key in enumerate(sheet.stored_sort)}

    def commune_name(row: Row) -> str:
        return commune_names.get(row[COMMUNE], row[COMMUNE])

    by_code = _Keys(lambda code: sort_key(commune_names.get(code, code)))

    def commune_key(row: Row) -> str:
        return by_code(row[COMMUNE])

    def sequence_text(row: Row) -> str:
        return str(row[SEQUENCE])

    sequence = itemgetter(SEQUENCE)
    return (
        ShownColumn("commune", COMMUNE_HEADER, commune_name, commune_key, commune_name, False, 180),
        *(
            _column(column, index, keys, stored_at.get(column.key))
            for index, column in enumerate(sheet.columns, _FIRST_VALUE)
        ),
        ShownColumn("sequence", SEQUENCE_HEADER, sequence_text, sequence, sequence, True, 70),
    )


def _period(workspace: Workspace, year: int | None) -> str:
    return str(year if year is not None else workspace.working_year)


def commune_names(workspace: Workspace) -> dict[str, str]:
    """Code → name of the office's communes (merged ones under their old names)."""
    return {c.code: c.name for c in office.list_communes(workspace)}


def _name_of(code: str) -> str:
    """A commune no longer on the office's list keeps a readable name: the official one, or its code."""
    try:
        return admin_units.commune(code).name
    except ValueError:
        return code


def _where(sheet: BrowseSheet, period: str, commune: str | None, words: list[str]) -> tuple[str, list[Any]]:
    """The rows' filter. "+period" keeps SQLite off the (period, name) indexes: reading the table in row order
    is twice as fast for a province's 300,000 households, and six times for a broad search of its members,
    as walking an index and sorting back to row order; one commune's rows still come by its own index."""
    clauses, params = ["+period = ?"], [period]
    if commune is not None:
        clauses.append("commune_code = ?")
        params.append(commune)
    if sheet.search_column:
        clauses.extend(f"instr({sheet.search_column}, ?) > 0" for _ in words)
        params.extend(words)
    return " AND ".join(clauses), params


def _cursor(workspace: Workspace) -> tuple[Any, Any]:
    connection = workspace.engine.raw_connection()
    return connection, connection.cursor()


def count_rows(workspace: Workspace, sheet_key: str, year: int | None = None, commune: str | None = None) -> int:
    """How many rows the sheet holds for the period, of one commune or of all: what reading them would cost."""
    sheet = browsable(sheet_key)
    where, params = _where(sheet, _period(workspace, year), commune, [])
    connection, cursor = _cursor(workspace)
    try:
        found: int = cursor.execute(f"SELECT count(*) FROM {sheet.table} WHERE {where}", params).fetchone()[0]
    finally:
        connection.close()
    return found


def load_table(
    workspace: Workspace,
    sheet_key: str,
    year: int | None = None,
    commune: str | None = None,
    search: str = "",
    limit: int | None = None,
) -> BrowseTable:
    """The sheet's rows of the period (the working year unless `year`), of `commune` or of all communes, that
    hold every word of `search` (accents and case ignored), in the order the communes' packages brought them.
    With `limit`, at most that many rows are read and the table says whether it is complete."""
    office.require_office_role(workspace)
    sheet = browsable(sheet_key)
    period = _period(workspace, year)
    folded = fold(search)
    words = folded.split()
    names = commune_names(workspace)
    columns = _shown_columns(sheet, names)
    selected = ", ".join(c.sql or c.key for c in sheet.columns)
    extra = [sheet.search_column or "''", *sheet.stored_sort.values()]
    where, params = _where(sheet, period, commune, words)
    sql = f"SELECT commune_code, sequence, {selected}, {', '.join(extra)} FROM {sheet.table} WHERE {where}"
    sql += " ORDER BY row_id"
    if limit is not None and sheet.search_column:
        sql += f" LIMIT {int(limit) + 1}"
    connection, cursor = _cursor(workspace)
    try:
        rows: list[Row] = cursor.execute(sql, params).fetchall()
    finally:
        connection.close()
    search_index = _FIRST_VALUE + len(sheet.columns)
    if not sheet.search_column:
        texts = columns[1:-1]
        rows = [
            (*row[:search_index], fold(" ".join(c.text(row) for c in texts)), *row[search_index + 1 :]) for row in rows
        ]
        rows = [row for row in rows if all(word in row[search_index] for word in words)]
    complete = limit is None or len(rows) <= limit
    for code in {row[COMMUNE] for row in rows} - names.keys():
        names[code] = _name_of(code)  # the columns read names from this same dict
    return BrowseTable(sheet, period, commune, folded, rows[:limit], complete, columns, search_index)


def sort_rows(table: BrowseTable, key: str, descending: bool = False) -> list[Row]:
    """The table's rows ordered by one column, the way the window's header sorts it."""
    return sorted(table.rows, key=table.column(key).sort_value, reverse=descending)
