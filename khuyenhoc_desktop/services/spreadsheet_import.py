"""Importing a list an officer keeps in a spreadsheet: the steps every kind of list shares.

A kind (households, members, scholarships: see services/import_kinds.py) says which fields it has, the header
texts each is known by, which fields take their value from a closed list (hamlets, relations, award kinds…), how a
row is checked and tied to the record it updates, and how the checked rows are written. The rest is here, once, so
the wizard and `khuyenhoc import` behave alike for every kind: finding the sheet and its header row below title
rows, guessing the columns, the officer's column and value choices saved to reuse on next year's copy of the sheet,
the preview row by row, the all-or-nothing commit after a backup, and the workbook of problem rows to fix and
re-import.
"""

from __future__ import annotations

import difflib
import json
from abc import ABC, abstractmethod
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import Any, ClassVar

from khuyenhoc_desktop.domain.errors import UserError
from khuyenhoc_desktop.domain.household import SEX_LABELS
from khuyenhoc_desktop.domain.import_values import BadValue, cell_text, match_headers, words
from khuyenhoc_desktop.domain.text import format_count
from khuyenhoc_desktop.services.changes import Recorder, record_change
from khuyenhoc_desktop.services.profile import list_hamlets
from khuyenhoc_desktop.services.sheet_reading import (
    Grid,
    ImportProblems,
    column_label,
    column_letter,
    data_rows,
    find_header,
    read_grid,
)
from khuyenhoc_desktop.services.workspace import Workspace

BACKUP_ABOVE_ROWS = 5  # "a handful": an import writing more is backed up first
TOP_ROWS_UNDER_HEADER = 5  # the sheet's first rows kept as they are: title rows, the header, a few under it
PROBLEMS_HEADER = "Lỗi cần sửa"  # the problem-rows workbook's last column; no field is known by it

ColumnMapping = dict[str, int]  # field → column index (0-based)
ValueChoices = dict[str, dict[str, str]]  # field → {typed text, folded by `words` → the chosen option's label}


@dataclass(frozen=True)
class Settings:
    """What the officer decided for one sheet: which column holds which field, and what typed values mean."""

    columns: ColumnMapping
    values: ValueChoices = field(default_factory=dict)


@dataclass(frozen=True)
class SheetLayout:
    sheet_name: str
    headers: tuple[str, ...]
    header_row_index: int  # 0-based: the header's row number − 1
    rows: tuple[tuple[int, list[Any]], ...]  # (spreadsheet row number, cells) under the header
    top: tuple[list[Any], ...] = ()  # the first rows as they are, so the officer sees where the header was found


@dataclass(frozen=True)
class Problem:
    """Where a problem is, as the officer finds it in the spreadsheet: a row number and a column, when it has them."""

    row: int | None
    column: int | None
    message: str

    def describe(self, headers: Sequence[str]) -> str:
        if self.row is None:
            return self.message
        if self.column is None:
            return f"Dòng {self.row}: {self.message}."
        return f"Dòng {self.row}, cột «{column_label(headers, self.column)}»: {self.message}."


class Outcome(StrEnum):
    NEW = "moi"
    UPDATE = "cap_nhat"
    SAME = "khong_doi"
    PROBLEM = "loi"


OUTCOME_LABELS = {
    Outcome.NEW: "Thêm mới",
    Outcome.UPDATE: "Cập nhật",
    Outcome.SAME: "Không đổi",
    Outcome.PROBLEM: "Có lỗi",
}


@dataclass
class PreviewRow:
    number: int  # the spreadsheet's row number
    cells: list[Any]
    values: dict[str, Any]  # field → clean value, for the fields mapped and read without a problem
    outcome: Outcome = Outcome.NEW
    matched: str = ""  # the existing record the row updates, as the officer knows it
    target: str | None = None  # that record's id
    problems: list[Problem] = field(default_factory=list)
    columns: Mapping[str, int] = field(default_factory=dict)  # field → column: where a whole-row check points

    def refuse(self, message: str, column: int | None = None, on_field: str | None = None) -> None:
        """`on_field` names the field a check of the whole row found wrong, in its column when it has one."""
        if column is None and on_field is not None:
            column = self.columns.get(on_field)
        self.problems.append(Problem(self.number, column, message))
        self.outcome = Outcome.PROBLEM


class Options:
    """A closed list a field's values come from (the commune's hamlets, the relations to the head…): the labels
    the officer chooses from, each with the value stored, and the other spellings each is typed as."""

    def __init__(
        self,
        what: str,
        codes: Mapping[str, str],
        spellings: Mapping[str, str] | None = None,
        fold: Callable[[str], str] = words,
        unsure: frozenset[str] = frozenset(),
    ) -> None:
        self.what = what  # "ấp", "quan hệ với chủ hộ": named in messages
        self.codes = dict(codes)  # label → stored value
        self._fold = fold
        self._unsure = unsure  # texts (as `words` folds them) too ambiguous to suggest a meaning for
        self._known = {fold(text): label for text, label in (spellings or {}).items()}
        self._known.update({fold(label): label for label in self.codes})

    @property
    def labels(self) -> list[str]:
        return list(self.codes)

    def recognise(self, text: str) -> str | None:
        return self._known.get(self._fold(text))

    def suggest(self, text: str) -> str | None:
        if words(text) in self._unsure:
            return None
        near = difflib.get_close_matches(self._fold(text), list(self._known), n=1, cutoff=0.6)
        return self._known[near[0]] if near else None

    def meaning(self, text: str, chosen: Mapping[str, str]) -> str | None:
        """The label a typed text is read as: the officer's choice for it, else the label it spells."""
        label = chosen.get(words(text)) or self.recognise(text)
        return label if label in self.codes else None

    def read(self, text: str, chosen: Mapping[str, str]) -> str:
        """The stored value for a typed text, or BadValue naming the nearest label."""
        label = self.meaning(text, chosen)
        if label is not None:
            return self.codes[label]
        hint = self.suggest(text)
        near = f"; có phải «{hint}»?" if hint else ""
        listed = ", ".join(self.codes)
        raise BadValue(f"«{text}» không khớp {self.what} nào{near} (các {self.what}: {listed})")


_HAMLET_WORDS = ("khu pho", "to dan pho", "ap", "thon", "kp", "xom", "khom", "buon", "ban", "khu")


def bare_hamlet(name: str) -> str:
    """ "Ấp Vĩnh Thạnh", "thon vinh thanh", "Vĩnh Thạnh" → "vinh thanh"."""
    folded = words(name)
    for prefix in _HAMLET_WORDS:
        bare = folded.removeprefix(prefix + " ")
        if bare != folded:
            return bare
    return folded


def hamlet_options(workspace: Workspace) -> Options:
    """The commune's hamlets, typed with or without "Ấp", "Thôn", "Khu phố" before the name."""
    return Options("ấp", {h.name: h.id for h in list_hamlets(workspace)}, fold=bare_hamlet)


SEX_OPTIONS = Options(
    "giới tính",
    {label: code for code, label in SEX_LABELS.items()},
    {"m": "Nam", "male": "Nam", "trai": "Nam", "f": "Nữ", "female": "Nữ", "gai": "Nữ"},
)


def compatible(wanted: object, held: object) -> bool:
    """Birth years and hamlets tell two people (or two records of one) apart only when both sides have one."""
    return wanted is None or held is None or wanted == held


@dataclass
class Plan:
    """A kind's answer for the rows it was given: each row's outcome, and how to write the rows without problem."""

    rows: list[PreviewRow]
    write: Callable[[Recorder, list[PreviewRow]], None]  # given the rows to write, inside the import's one change


class ImportKind(ABC):
    """One kind of list. Subclasses give the class attributes and `plan`; `options` and `template_rows` as they
    need."""

    key: ClassVar[str]  # "households": the CLI's --kind
    title: ClassVar[str]  # "Danh sách hộ gia đình"
    noun: ClassVar[str]  # "hộ": counted in summaries
    field_labels: ClassVar[dict[str, str]]  # the fields, in the template's column order
    aliases: ClassVar[dict[str, tuple[str, ...]]]  # header texts (after `words`), in the order fields claim columns
    required: ClassVar[tuple[str, ...]]  # fields without which no row can be read; the first finds the header row
    backup_reason: ClassVar[str]

    def options(self, workspace: Workspace) -> dict[str, Options]:
        """The fields whose values come from a closed list; the wizard lets the officer say what typed values mean."""
        return {}

    @abstractmethod
    def converters(self, workspace: Workspace, settings: Settings) -> dict[str, Callable[[Any], Any]]:
        """field → what reads one cell of it into a clean value (raising BadValue); option fields included."""

    @abstractmethod
    def plan(self, workspace: Workspace, rows: list[PreviewRow]) -> Plan:
        """Tie the rows read without problem to the records they update (refusing a row as they must), set each
        row's outcome, and say how to write them."""

    def template_rows(self, workspace: Workspace) -> list[dict[str, Any]]:
        """The register's records as rows of the template (field → cell value), for the filled template."""
        return []


def option_reader(options: Options, chosen: Mapping[str, str], required: str = "") -> Callable[[Any], Any]:
    """Reads a cell of an option field; blank is "" unless `required` names what is missing."""

    known: dict[str, str] = {}  # a column repeats a few values over thousands of rows

    def read(value: Any) -> str:
        typed = cell_text(value)
        if not typed:
            if required:
                raise BadValue(required)
            return ""
        if typed not in known:
            known[typed] = options.read(typed, chosen)
        return known[typed]

    return read


# -- the sheet, its header row, and the columns -----------------------------------------------------------------


def _aliases(kind: ImportKind) -> dict[str, tuple[str, ...]]:
    """The kind's aliases in their order, each field also known by its own label (so the template's headers read
    back); fields without aliases claim their columns last."""
    order = [*kind.aliases, *(f for f in kind.field_labels if f not in kind.aliases)]
    return {f: (words(kind.field_labels[f]), *kind.aliases.get(f, ())) for f in order}


def guess_columns(kind: ImportKind, headers: Sequence[str]) -> ColumnMapping:
    """Which column holds which field, from the header texts (accents, case and punctuation ignored)."""
    return match_headers(headers, _aliases(kind))


def read_sheet(kind: ImportKind, path: Path, sheet: str | None = None) -> SheetLayout:
    """The list in the file: the sheet (named, or the first with this kind's header, or the first with data),
    the header row found below any title rows, and the rows under it, blank ones left out. Headers nothing
    matches (the officer then picks the columns) are taken from the first row with two cells filled in: title
    rows, merged or not, fill one."""

    def header(grid: Grid) -> int | None:
        return find_header(grid, lambda headers: guess_columns(kind, headers), kind.required[0])

    name, grid = read_grid(path, sheet, lambda g: header(g) is not None)
    header_index = header(grid)
    if header_index is None:
        header_index = next((i for i, row in enumerate(grid) if sum(1 for v in row if cell_text(v)) >= 2), 0)
    width = max((len(row) for row in grid), default=0)
    headers = [cell_text(v) for v in grid[header_index]] if grid else []
    headers += [""] * (width - len(headers))
    rows = tuple(data_rows(grid, header_index + 1, False))
    top = tuple(grid[: header_index + 1 + TOP_ROWS_UNDER_HEADER])
    return SheetLayout(name, tuple(headers), header_index, rows, top)


def describe_columns(kind: ImportKind, columns: Mapping[str, int], headers: Sequence[str]) -> str:
    """ "Họ tên chủ hộ ← B «Chủ hộ»; …": what the officer checks before importing."""
    return "; ".join(
        f"{kind.field_labels[f]} ← {column_letter(c)}" + (f" «{headers[c]}»" if c < len(headers) and headers[c] else "")
        for f, c in columns.items()
    )


def check_columns(kind: ImportKind, columns: Mapping[str, int], headers: Sequence[str]) -> list[Problem]:
    problems = [
        Problem(None, None, f"Chưa chọn cột «{kind.field_labels[f]}».") for f in kind.required if f not in columns
    ]
    used = Counter(columns.values())
    for column in sorted(c for c, n in used.items() if n > 1):
        fields = ", ".join(f"«{kind.field_labels[f]}»" for f, c in columns.items() if c == column)
        what = f"Cột «{column_label(headers, column)}» được chọn cho nhiều mục: {fields}."
        problems.append(Problem(None, None, what))
    for name, column in columns.items():
        if name not in kind.field_labels:
            listed = ", ".join(kind.field_labels)
            problems.append(Problem(None, None, f"«{name}» không phải mục nào; các mục: {listed}."))
        elif not 0 <= column < len(headers):
            problems.append(Problem(None, None, f"Mục «{kind.field_labels[name]}» trỏ tới cột không có trong tệp."))
    return problems


# -- the settings, saved as JSON: columns by header text, value choices by typed text ---------------------------


def save_settings(kind: ImportKind, path: Path, settings: Settings, headers: Sequence[str]) -> None:
    """Columns are saved by header text rather than letter, so that a sheet whose columns moved still fits; a field
    left without a column is saved as "", so that it is not guessed again."""
    columns = {
        f: headers[c] if (c := settings.columns.get(f, -1)) in range(len(headers)) else "" for f in kind.field_labels
    }
    saved = {"loai": kind.key, "cot": columns, "gia_tri": {f: v for f, v in settings.values.items() if v}}
    try:
        path.write_text(json.dumps(saved, ensure_ascii=False, indent=2), encoding="utf-8")
    except OSError as error:
        raise UserError(f"Không ghi được tệp ghép cột «{path.name}»: {error.strerror or error}.") from error


def load_settings(kind: ImportKind, path: Path, headers: Sequence[str]) -> Settings:
    """The guessed columns corrected by the saved ones (a field saved with no header is left out), and the saved
    value choices. A file of an older shape, only field → header, is read too."""
    bad = UserError(f"Tệp ghép cột «{path.name}» không đúng dạng JSON (mục → tiêu đề cột).")
    try:
        saved = json.loads(path.read_text(encoding="utf-8"))
    except OSError as error:
        raise UserError(f"Không mở được tệp ghép cột «{path.name}»: {error.strerror or error}.") from error
    except ValueError as error:
        raise bad from error
    if not isinstance(saved, dict):
        raise bad
    if "cot" not in saved:
        saved = {"cot": saved}
    if saved.get("loai", kind.key) != kind.key:
        raise UserError(f"Tệp ghép cột «{path.name}» dành cho danh sách «{saved['loai']}», không phải «{kind.key}».")
    by_header, values = saved.get("cot"), saved.get("gia_tri", {})
    if not isinstance(by_header, dict) or not isinstance(values, dict):
        raise bad
    columns = guess_columns(kind, headers)
    folded = [words(h) for h in headers]
    for name, header in by_header.items():
        if name not in kind.field_labels:
            listed = ", ".join(kind.field_labels)
            raise UserError(f"Tệp ghép cột «{path.name}»: «{name}» không phải mục nào; các mục: {listed}.")
        if not header:
            columns.pop(name, None)
            continue
        found = [i for i, h in enumerate(folded) if h and h == words(str(header))]
        if len(found) != 1:
            what = "nhiều cột" if found else "cột nào"
            raise UserError(
                f"Tệp ghép cột «{path.name}»: tiêu đề «{header}» của mục «{kind.field_labels[name]}» "
                f"không ứng với {what} trong bảng tính."
            )
        columns[name] = found[0]
    choices = {str(f): {words(str(t)): str(label) for t, label in v.items()} for f, v in values.items() if v}
    return Settings(columns, choices)


# -- the officer's value choices ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class TypedValue:
    """One distinct text typed in an option field's column, for the wizard's value step."""

    field: str
    text: str
    rows: int  # how many rows carry it
    meaning: str | None  # the label it is read as (the officer's choice, else recognised), None if not understood
    suggestion: str | None  # a near label, when it is not understood


def typed_values(workspace: Workspace, kind: ImportKind, layout: SheetLayout, settings: Settings) -> list[TypedValue]:
    """Every distinct value in the mapped option columns, with what it is read as: the officer confirms or
    corrects each, the unknown ones first."""
    found = []
    for name, options in kind.options(workspace).items():
        column = settings.columns.get(name)
        if column is None:
            continue
        counts = Counter(cell_text(cells[column]) for _n, cells in layout.rows if column < len(cells))
        chosen = settings.values.get(name, {})
        for text, rows in counts.items():
            if not text:
                continue
            meaning = options.meaning(text, chosen)
            found.append(TypedValue(name, text, rows, meaning, None if meaning else options.suggest(text)))
    return sorted(found, key=lambda v: (v.meaning is not None, list(kind.field_labels).index(v.field), v.text))


# -- preview and commit ------------------------------------------------------------------------------------------


@dataclass
class Preview:
    kind: ImportKind
    file_name: str
    layout: SheetLayout
    settings: Settings
    rows: list[PreviewRow]
    sheet_problems: list[Problem]  # the columns chosen, an empty sheet: nothing can be imported while any stands
    plan: Plan | None

    def count(self, outcome: Outcome) -> int:
        return sum(1 for r in self.rows if r.outcome == outcome)

    @property
    def problems(self) -> list[Problem]:
        return [*self.sheet_problems, *(p for r in self.rows for p in r.problems)]

    def problem_texts(self) -> list[str]:
        return [p.describe(self.layout.headers) for p in self.problems]

    @property
    def summary(self) -> str:
        noun, n = self.kind.noun, format_count
        text = (
            f"{n(len(self.rows))} dòng — {n(self.count(Outcome.NEW))} {noun} mới, "
            f"{n(self.count(Outcome.UPDATE))} {noun} cập nhật, {n(self.count(Outcome.SAME))} {noun} không đổi"
        )
        bad = self.count(Outcome.PROBLEM)
        return text + (f", {n(bad)} dòng có lỗi." if bad else ".")


@dataclass(frozen=True)
class ImportReport:
    noun: str
    rows: int  # data rows read
    created: int
    updated: int
    unchanged: int
    skipped: int  # problem rows left out (only when the officer chose to)
    problems: tuple[str, ...]  # non-empty only on a dry run or with rows skipped: a real import refuses instead
    written: bool

    @classmethod
    def of(cls, preview: Preview, written: bool) -> ImportReport:
        """What the preview says would be (or, written, was) done; a written import left out its problem rows."""
        return cls(
            preview.kind.noun, len(preview.layout.rows), preview.count(Outcome.NEW), preview.count(Outcome.UPDATE),
            preview.count(Outcome.SAME), preview.count(Outcome.PROBLEM) if written else 0,
            tuple(preview.problem_texts()), written,
        )  # fmt: skip

    @property
    def summary(self) -> str:
        head = "Chạy thử, chưa ghi gì" if not self.written else "Đã nhập"
        n = format_count
        text = (
            f"{head}: {n(self.rows)} dòng — {n(self.created)} {self.noun} mới, {n(self.updated)} {self.noun} cập nhật, "
            f"{n(self.unchanged)} {self.noun} không đổi."
        )
        if self.skipped and self.written:
            text += f" Bỏ qua {n(self.skipped)} dòng có lỗi."
        elif self.problems:
            text += f" Có {n(len(self.problems))} lỗi cần sửa trước khi nhập."
        return text


def _read_rows(kind: ImportKind, workspace: Workspace, layout: SheetLayout, settings: Settings) -> list[PreviewRow]:
    readers = kind.converters(workspace, settings)
    rows = []
    for number, cells in layout.rows:
        row = PreviewRow(number, list(cells), {}, columns=settings.columns)
        for name, column in settings.columns.items():
            cell = cells[column] if column < len(cells) else ""
            try:
                row.values[name] = readers[name](cell)
            except BadValue as problem:
                row.refuse(str(problem), column)
        rows.append(row)
    return rows


def preview(
    workspace: Workspace, kind: ImportKind, path: Path, settings: Settings | None = None, sheet: str | None = None
) -> Preview:
    """Every row read and checked, and what importing it would do; nothing is written."""
    return preview_sheet(workspace, kind, read_sheet(kind, path, sheet), path.name, settings)


def preview_sheet(
    workspace: Workspace, kind: ImportKind, layout: SheetLayout, file_name: str, settings: Settings | None = None
) -> Preview:
    """`preview` of a sheet already read (by the wizard's first page, or the command before it prints the columns)."""
    settings = settings or Settings(guess_columns(kind, layout.headers))
    column_problems = check_columns(kind, settings.columns, layout.headers)
    if column_problems:
        return Preview(kind, file_name, layout, settings, [], column_problems, None)
    empty = [] if layout.rows else [Problem(None, None, "Không có dòng nào dưới hàng tiêu đề.")]
    plan = kind.plan(workspace, _read_rows(kind, workspace, layout, settings))
    return Preview(kind, file_name, layout, settings, plan.rows, empty, plan)


def commit(workspace: Workspace, preview: Preview, skip_problem_rows: bool = False) -> ImportReport:
    """Write every row of the preview in one change (one undo step, audited), after a backup when it writes more
    than a handful; or, while any problem stands, refuse and write nothing. `skip_problem_rows` writes the other
    rows and leaves the rows with problems out (the officer exports them to fix); a problem with the sheet or the
    columns always refuses."""
    problems = preview.problem_texts()
    if preview.plan is None or preview.sheet_problems or (problems and not skip_problem_rows):
        raise ImportProblems(preview.file_name, problems)
    todo = [r for r in preview.rows if r.outcome in (Outcome.NEW, Outcome.UPDATE)]
    if len(todo) > BACKUP_ABOVE_ROWS:
        workspace.backup(preview.kind.backup_reason)
    if todo:
        noun, created, updated = preview.kind.noun, preview.count(Outcome.NEW), preview.count(Outcome.UPDATE)
        description = f"Nhập {created} {noun} mới, cập nhật {updated} {noun} từ tệp {preview.file_name}"
        with record_change(workspace, description) as change:
            preview.plan.write(change, todo)
    return ImportReport.of(preview, written=True)


def import_file(
    workspace: Workspace,
    kind: ImportKind,
    path: Path,
    settings: Settings | None = None,
    sheet: str | None = None,
    dry_run: bool = False,
    skip_problem_rows: bool = False,
) -> ImportReport:
    """Check every row; a dry run reports what would happen (problems included) and writes nothing; a real import
    writes everything in one change, or raises ImportProblems and writes nothing."""
    checked = preview(workspace, kind, path, settings, sheet)
    return ImportReport.of(checked, written=False) if dry_run else commit(workspace, checked, skip_problem_rows)
