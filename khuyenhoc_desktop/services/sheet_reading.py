"""Opening an officer's spreadsheet and finding the list in it: which sheet, which row holds the headers.

python-calamine reads .xlsx, .xls and .ods fast (50,000 rows in well under a second) and gives the cells
with blank rows and columns kept, so positions are the spreadsheet's own row numbers and column letters,
which is how every problem is named to the officer.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from python_calamine import CalamineError, CalamineWorkbook, PasswordError

from khuyenhoc_desktop.domain.errors import UserError
from khuyenhoc_desktop.domain.import_values import cell_text

FILE_FILTER = "Bảng tính (*.xlsx *.xlsm *.xls *.ods);;Mọi tệp (*)"
HEADER_SEARCH_ROWS = 10
MAX_PROBLEMS_SHOWN = 30

Grid = list[list[Any]]


class ImportProblems(UserError):
    """The file cannot be imported as it is; `problems` says where, row by row. Nothing was written."""

    def __init__(self, file_name: str, problems: Sequence[str]) -> None:
        self.problems = tuple(problems)
        shown = "\n".join(f"• {p}" for p in self.problems[:MAX_PROBLEMS_SHOWN])
        more = len(self.problems) - MAX_PROBLEMS_SHOWN
        super().__init__(
            f"Chưa nhập tệp «{file_name}»: có {len(self.problems)} lỗi, chưa ghi gì vào sổ. "
            f"Hãy sửa tệp (hoặc chọn lại cột) rồi nhập lại.\n{shown}" + (f"\n… và {more} lỗi khác." if more > 0 else "")
        )


def _open(path: Path) -> CalamineWorkbook:
    try:
        return CalamineWorkbook.from_path(str(path))
    except PasswordError as error:
        raise UserError(f"Tệp «{path.name}» có đặt mật khẩu: hãy mở bằng Excel, bỏ mật khẩu rồi nhập lại.") from error
    except OSError as error:
        raise UserError(f"Không mở được tệp «{path.name}»: {error.strerror or error}.") from error
    except CalamineError as error:
        raise UserError(
            f"Không đọc được tệp «{path.name}»: tệp bị hỏng hoặc không phải bảng tính (.xlsx, .xls, .ods)."
        ) from error


def _has_data(grid: Grid) -> bool:
    return any(any(cell_text(v) for v in row) for row in grid)


def sheet_names(path: Path) -> list[str]:
    """The workbook's sheets, for the officer to choose from."""
    return list(_open(path).sheet_names)


def read_grid(path: Path, sheet: str | None = None, holds_list: Callable[[Grid], bool] = _has_data) -> tuple[str, Grid]:
    """The named sheet, or else the first that `holds_list` accepts, or else the first with any data."""
    workbook = _open(path)
    names = list(workbook.sheet_names)

    def grid_of(name: str) -> Grid:
        try:
            return workbook.get_sheet_by_name(name).to_python(skip_empty_area=False)
        except CalamineError as error:
            raise UserError(f"Không đọc được trang «{name}» của tệp «{path.name}».") from error

    if sheet is not None:
        wanted = next((n for n in names if n == sheet), None) or next(
            (n for n in names if n.casefold().strip() == sheet.casefold().strip()), None
        )
        if wanted is None:
            listed = ", ".join(f"«{n}»" for n in names)
            raise UserError(f"Tệp «{path.name}» không có trang «{sheet}». Các trang: {listed}.")
        return wanted, grid_of(wanted)
    grids = []
    for name in names:
        grid = grid_of(name)
        if holds_list(grid):
            return name, grid
        grids.append((name, grid))
    with_data = next(((n, g) for n, g in grids if _has_data(g)), None)
    if with_data is None:
        raise UserError(f"Tệp «{path.name}» không có dữ liệu.")
    return with_data


def find_header(grid: Grid, guess: Callable[[Sequence[str]], dict[str, int]], required: str) -> int | None:
    """The row among the first few that names the most known columns, `required` among them (title rows
    and a merged title cell above it name none)."""
    best, best_count = None, 1
    for index, row in enumerate(grid[:HEADER_SEARCH_ROWS]):
        found = guess([cell_text(v) for v in row])
        if required in found and len(found) > best_count:
            best, best_count = index, len(found)
    return best


def data_rows(grid: Grid, start: int, stop_at_blank: bool) -> list[tuple[int, list[Any]]]:
    """(spreadsheet row number, cells) of each row from `start`; blank rows are skipped, or (stop_at_blank)
    end the list once it has begun, for lists followed by a signature block."""
    rows: list[tuple[int, list[Any]]] = []
    for index in range(start, len(grid)):
        if not any(cell_text(v) for v in grid[index]):
            if rows and stop_at_blank:
                break
            continue
        rows.append((index + 1, grid[index]))
    return rows


def column_letter(column: int) -> str:
    """0 → A, 26 → AA: how the officer names a column."""
    letters = ""
    column += 1
    while column:
        column, rest = divmod(column - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def column_label(headers: Sequence[str], column: int) -> str:
    """The column's header as the problem messages name it, or its letter when it has none."""
    return headers[column] if 0 <= column < len(headers) and headers[column] else f"cột {column_letter(column)}"
