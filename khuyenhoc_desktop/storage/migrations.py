"""Schema versions on PRAGMA user_version.

Each step is SQL (plus, where a column must be filled, a function over the raw connection) run in one
transaction that also bumps the version. Steps never import the ORM tables: a step must keep meaning
exactly what it meant when it shipped.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path

from khuyenhoc_desktop.domain.errors import UserError
from khuyenhoc_desktop.domain.text import fold, name_sort_key
from khuyenhoc_desktop.storage.backup import backup_database
from khuyenhoc_desktop.storage.database import connect


@dataclass(frozen=True)
class Step:
    version: int
    sql: str
    fill: Callable[[sqlite3.Connection], None] | None = None
    check: Callable[[sqlite3.Connection], None] | None = None  # refuses data the step cannot take


_V1 = """
CREATE TABLE profile (
    id INTEGER PRIMARY KEY,
    role TEXT NOT NULL,
    province_code TEXT NOT NULL,
    province_name TEXT NOT NULL,
    commune_code TEXT NOT NULL DEFAULT '',
    commune_name TEXT NOT NULL DEFAULT '',
    association_name TEXT NOT NULL,
    officer_name TEXT NOT NULL,
    signer_title TEXT NOT NULL,
    signer_name TEXT NOT NULL,
    working_year INTEGER NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE TABLE hamlet (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    position INTEGER NOT NULL DEFAULT 0,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    deleted_at TEXT
);
CREATE TABLE household (
    id TEXT PRIMARY KEY,
    code TEXT NOT NULL,
    hamlet_id TEXT NOT NULL REFERENCES hamlet(id),
    address TEXT NOT NULL DEFAULT '',
    phone TEXT NOT NULL DEFAULT '',
    note TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    deleted_at TEXT
);
CREATE TABLE member (
    id TEXT PRIMARY KEY,
    household_id TEXT NOT NULL REFERENCES household(id),
    full_name TEXT NOT NULL,
    birth_year INTEGER,
    sex TEXT NOT NULL DEFAULT 'nam',
    relation TEXT NOT NULL DEFAULT 'con',
    school TEXT NOT NULL DEFAULT '',
    learning_status TEXT NOT NULL DEFAULT 'khong_di_hoc',
    position INTEGER NOT NULL DEFAULT 0,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    deleted_at TEXT
);
CREATE INDEX ix_member_household ON member(household_id);
"""

# Version 2: stored search and sort keys, the audit log, and one live household per code.
_V2 = """
ALTER TABLE household ADD COLUMN search_key TEXT NOT NULL DEFAULT '';
ALTER TABLE member ADD COLUMN name_key TEXT NOT NULL DEFAULT '';
ALTER TABLE member ADD COLUMN name_sort TEXT NOT NULL DEFAULT '';
CREATE TABLE audit_log (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    at TEXT NOT NULL,
    officer TEXT NOT NULL DEFAULT '',
    action TEXT NOT NULL,
    table_name TEXT NOT NULL,
    record_id TEXT NOT NULL,
    before_json TEXT,
    after_json TEXT
);
CREATE INDEX ix_audit_record ON audit_log(table_name, record_id);
CREATE UNIQUE INDEX ux_household_live_code ON household(code) WHERE deleted_at IS NULL;
CREATE UNIQUE INDEX ux_member_one_head ON member(household_id) WHERE relation = 'chu_ho' AND deleted_at IS NULL;
CREATE INDEX ix_household_hamlet ON household(hamlet_id);
"""


def household_search_text(code: str, head: str, address: str, phone: str, note: str) -> str:
    """The folded text that the register's search box looks in."""
    return fold(" ".join((code, head, address, phone, note)))


def _fill_v2_keys(connection: sqlite3.Connection) -> None:
    members = connection.execute("SELECT id, full_name FROM member").fetchall()
    connection.executemany(
        "UPDATE member SET name_key = ?, name_sort = ? WHERE id = ?",
        [(fold(name), name_sort_key(name), member_id) for member_id, name in members],
    )
    households = connection.execute(
        """SELECT h.id, h.code, coalesce(m.full_name, ''), h.address, h.phone, h.note FROM household h
           LEFT JOIN member m ON m.household_id = h.id AND m.relation = 'chu_ho' AND m.deleted_at IS NULL"""
    ).fetchall()
    connection.executemany(
        "UPDATE household SET search_key = ? WHERE id = ?",
        [(household_search_text(*row[1:]), row[0]) for row in households],
    )


# Version 3: the learning titles: clans, units, citizens, rubrics, evaluations and decisions.
_V3 = """
ALTER TABLE hamlet ADD COLUMN leader_name TEXT NOT NULL DEFAULT '';
ALTER TABLE hamlet ADD COLUMN note TEXT NOT NULL DEFAULT '';
CREATE TABLE clan (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    representative TEXT NOT NULL DEFAULT '',
    hamlet_ids TEXT NOT NULL DEFAULT '[]',
    household_ids TEXT NOT NULL DEFAULT '[]',
    note TEXT NOT NULL DEFAULT '',
    search_key TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    deleted_at TEXT
);
CREATE TABLE unit (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    kind TEXT NOT NULL,
    head_name TEXT NOT NULL DEFAULT '',
    staff_count INTEGER NOT NULL DEFAULT 0,
    hamlet_id TEXT REFERENCES hamlet(id),
    address TEXT NOT NULL DEFAULT '',
    phone TEXT NOT NULL DEFAULT '',
    note TEXT NOT NULL DEFAULT '',
    search_key TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    deleted_at TEXT
);
CREATE TABLE citizen (
    id TEXT PRIMARY KEY,
    full_name TEXT NOT NULL,
    name_key TEXT NOT NULL DEFAULT '',
    name_sort TEXT NOT NULL DEFAULT '',
    birth_year INTEGER,
    sex TEXT NOT NULL DEFAULT 'nam',
    member_id TEXT REFERENCES member(id),
    unit_id TEXT REFERENCES unit(id),
    hamlet_id TEXT REFERENCES hamlet(id),
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    deleted_at TEXT
);
CREATE INDEX ix_citizen_member ON citizen(member_id);
CREATE TABLE rubric (
    id TEXT PRIMARY KEY,
    title TEXT NOT NULL,
    name TEXT NOT NULL,
    version INTEGER NOT NULL DEFAULT 1,
    pass_mark INTEGER NOT NULL,
    valid_from INTEGER NOT NULL,
    valid_to INTEGER,
    basis TEXT NOT NULL DEFAULT '',
    criteria TEXT NOT NULL,
    preset_key TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    deleted_at TEXT
);
CREATE TABLE decision (
    id TEXT PRIMARY KEY,
    title TEXT NOT NULL,
    year INTEGER NOT NULL,
    number TEXT NOT NULL,
    signed_on TEXT NOT NULL,
    signer_title TEXT NOT NULL,
    signer_name TEXT NOT NULL,
    note TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    deleted_at TEXT
);
CREATE TABLE evaluation (
    id TEXT PRIMARY KEY,
    title TEXT NOT NULL,
    year INTEGER NOT NULL,
    subject_id TEXT NOT NULL,
    registered_on TEXT NOT NULL,
    rubric_id TEXT REFERENCES rubric(id),
    scores TEXT NOT NULL DEFAULT '{}',
    prefilled TEXT NOT NULL DEFAULT '{}',
    total INTEGER,
    passed INTEGER,
    reasons TEXT NOT NULL DEFAULT '',
    decision_id TEXT REFERENCES decision(id),
    source TEXT NOT NULL DEFAULT '',
    note TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    deleted_at TEXT
);
CREATE UNIQUE INDEX ux_evaluation_live ON evaluation(title, year, subject_id) WHERE deleted_at IS NULL;
CREATE INDEX ix_evaluation_year ON evaluation(year, title);
CREATE INDEX ix_evaluation_rubric ON evaluation(rubric_id);
"""


# Version 4: scholarships and gifts, the fund ledger, learning activities, models and commendations.
_V4 = """
CREATE TABLE award_event (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    held_on TEXT NOT NULL,
    place TEXT NOT NULL DEFAULT '',
    sponsor TEXT NOT NULL DEFAULT '',
    school_year TEXT NOT NULL DEFAULT '',
    note TEXT NOT NULL DEFAULT '',
    search_key TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    deleted_at TEXT
);
CREATE TABLE ledger_entry (
    id TEXT PRIMARY KEY,
    entry_on TEXT NOT NULL,
    direction TEXT NOT NULL CHECK (direction IN ('thu', 'chi')),
    category TEXT NOT NULL,
    voucher_no TEXT NOT NULL,
    counterpart TEXT NOT NULL DEFAULT '',
    amount INTEGER NOT NULL CHECK (amount > 0),
    note TEXT NOT NULL DEFAULT '',
    search_key TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    deleted_at TEXT
);
CREATE INDEX ix_ledger_date ON ledger_entry(entry_on);
CREATE UNIQUE INDEX ux_ledger_voucher ON ledger_entry(direction, voucher_no) WHERE deleted_at IS NULL;
CREATE TABLE award (
    id TEXT PRIMARY KEY,
    event_id TEXT REFERENCES award_event(id),
    member_id TEXT REFERENCES member(id),
    pupil_name TEXT NOT NULL,
    name_key TEXT NOT NULL DEFAULT '',
    name_sort TEXT NOT NULL DEFAULT '',
    birth_year INTEGER,
    household_id TEXT REFERENCES household(id),
    hamlet_id TEXT REFERENCES hamlet(id),
    school TEXT NOT NULL DEFAULT '',
    grade TEXT NOT NULL DEFAULT '',
    category TEXT NOT NULL,
    kind TEXT NOT NULL,
    value_vnd INTEGER NOT NULL CHECK (value_vnd >= 0),
    sponsor TEXT NOT NULL DEFAULT '',
    school_year TEXT NOT NULL DEFAULT '',
    awarded_on TEXT NOT NULL,
    recurring INTEGER NOT NULL DEFAULT 0,
    ledger_entry_id TEXT REFERENCES ledger_entry(id),
    note TEXT NOT NULL DEFAULT '',
    search_key TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    deleted_at TEXT
);
CREATE INDEX ix_award_event ON award(event_id);
CREATE INDEX ix_award_date ON award(awarded_on);
CREATE TABLE activity (
    id TEXT PRIMARY KEY,
    kind TEXT NOT NULL,
    name TEXT NOT NULL,
    field TEXT NOT NULL DEFAULT '',
    starts_on TEXT NOT NULL,
    ends_on TEXT,
    place TEXT NOT NULL DEFAULT '',
    participants INTEGER NOT NULL DEFAULT 0 CHECK (participants >= 0),
    note TEXT NOT NULL DEFAULT '',
    search_key TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    deleted_at TEXT
);
CREATE INDEX ix_activity_date ON activity(starts_on);
CREATE TABLE activity_target (
    id TEXT PRIMARY KEY,
    year INTEGER NOT NULL,
    kind TEXT NOT NULL,
    target INTEGER NOT NULL CHECK (target >= 0),
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    deleted_at TEXT
);
CREATE UNIQUE INDEX ux_activity_target ON activity_target(year, kind) WHERE deleted_at IS NULL;
CREATE TABLE honour (
    id TEXT PRIMARY KEY,
    kind TEXT NOT NULL,
    recipient_kind TEXT NOT NULL,
    recipient TEXT NOT NULL,
    member_id TEXT REFERENCES member(id),
    hamlet_id TEXT REFERENCES hamlet(id),
    level TEXT NOT NULL,
    issuer TEXT NOT NULL DEFAULT '',
    decision_no TEXT NOT NULL DEFAULT '',
    honoured_on TEXT NOT NULL,
    content TEXT NOT NULL DEFAULT '',
    search_key TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    deleted_at TEXT
);
"""


# Version 5: the history of signed packages this installation exported.
_V5 = """
CREATE TABLE package_export (
    id TEXT PRIMARY KEY,
    period TEXT NOT NULL,
    sequence INTEGER NOT NULL,
    exported_at TEXT NOT NULL,
    file_name TEXT NOT NULL,
    data_sha256 TEXT NOT NULL,
    package_sha256 TEXT NOT NULL,
    key_id TEXT NOT NULL,
    rows INTEGER NOT NULL DEFAULT 0,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    deleted_at TEXT
);
CREATE UNIQUE INDEX ux_package_sequence ON package_export(period, sequence);
"""


_V6 = """
CREATE TABLE office (
    id INTEGER PRIMARY KEY,
    level TEXT NOT NULL,
    code TEXT NOT NULL,
    name TEXT NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE TABLE office_commune (
    id TEXT PRIMARY KEY,
    code TEXT NOT NULL,
    name TEXT NOT NULL,
    merged_into_code TEXT,
    note TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    deleted_at TEXT
);
CREATE UNIQUE INDEX ux_office_commune_live ON office_commune(code) WHERE deleted_at IS NULL;
CREATE TABLE trusted_key (
    id TEXT PRIMARY KEY,
    commune_code TEXT NOT NULL,
    key_id TEXT NOT NULL,
    public_key TEXT NOT NULL,
    fingerprint TEXT NOT NULL,
    source TEXT NOT NULL,
    enrolled_at TEXT NOT NULL,
    revoked_at TEXT,
    note TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    deleted_at TEXT
);
CREATE UNIQUE INDEX ux_trusted_key_live ON trusted_key(key_id) WHERE deleted_at IS NULL;
CREATE INDEX ix_trusted_key_commune ON trusted_key(commune_code);
"""

_V7 = """
CREATE TABLE received_package (
    id TEXT PRIMARY KEY,
    commune_code TEXT NOT NULL,
    period TEXT NOT NULL,
    sequence INTEGER NOT NULL,
    package_sha256 TEXT NOT NULL,
    previous_sha256 TEXT,
    data_sha256 TEXT NOT NULL DEFAULT '',
    key_id TEXT NOT NULL DEFAULT '',
    exported_at TEXT NOT NULL DEFAULT '',
    received_at TEXT NOT NULL,
    status TEXT NOT NULL,
    warnings TEXT NOT NULL DEFAULT '',
    rows INTEGER NOT NULL DEFAULT 0,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    deleted_at TEXT
);
CREATE INDEX ix_received_package_commune ON received_package(commune_code, period, status);
CREATE TABLE office_row (
    id TEXT PRIMARY KEY,
    commune_code TEXT NOT NULL,
    period TEXT NOT NULL,
    sheet TEXT NOT NULL,
    record_id TEXT NOT NULL,
    data TEXT NOT NULL,
    package_id TEXT NOT NULL REFERENCES received_package(id),
    UNIQUE (commune_code, period, sheet, record_id)
);
"""


# Version 8: the office keeps what each commune sent in typed tables, one per package sheet, with provenance
# (commune, period, package, sequence) on every row; households carry the head's name, member count and the
# search and sort keys, members their folded name, so 300,000 households browse like a commune's register.
# The records of version 7's `office_row` move across. Duplicate decisions record the office's review of
# people and households found in two communes.
_OFFICE_SHEETS_V8: tuple[tuple[str, str], ...] = (
    ("hamlets", "name TEXT, position INTEGER, leader_name TEXT, note TEXT"),
    (
        "households",
        "code TEXT, hamlet_id TEXT, hamlet_name TEXT, address TEXT, phone TEXT, note TEXT, "
        "head_name TEXT NOT NULL DEFAULT '', member_count INTEGER NOT NULL DEFAULT 0, "
        "search_key TEXT NOT NULL DEFAULT '', name_sort TEXT NOT NULL DEFAULT ''",
    ),
    (
        "members",
        "household_id TEXT, household_code TEXT, full_name TEXT, birth_year INTEGER, sex TEXT, relation TEXT, "
        "school TEXT, learning_status TEXT, position INTEGER, name_key TEXT NOT NULL DEFAULT ''",
    ),
    ("clans", "name TEXT, representative TEXT, hamlet_ids TEXT, household_ids TEXT, note TEXT"),
    (
        "units",
        "name TEXT, kind TEXT, head_name TEXT, staff_count INTEGER, hamlet_id TEXT, address TEXT, phone TEXT, "
        "note TEXT",
    ),
    ("citizens", "full_name TEXT, birth_year INTEGER, sex TEXT, member_id TEXT, unit_id TEXT, hamlet_id TEXT"),
    (
        "rubrics",
        "title TEXT, name TEXT, version INTEGER, pass_mark INTEGER, valid_from INTEGER, valid_to INTEGER, "
        "basis TEXT, criteria TEXT, preset_key TEXT",
    ),
    (
        "decisions",
        "title TEXT, year INTEGER, number TEXT, signed_on TEXT, signer_title TEXT, signer_name TEXT, note TEXT",
    ),
    (
        "evaluations",
        "title TEXT, year INTEGER, subject_id TEXT, registered_on TEXT, rubric_id TEXT, scores TEXT, "
        "prefilled TEXT, total INTEGER, passed INTEGER, reasons TEXT, decision_id TEXT, source TEXT, note TEXT",
    ),
    ("award_events", "name TEXT, held_on TEXT, place TEXT, sponsor TEXT, school_year TEXT, note TEXT"),
    (
        "awards",
        "event_id TEXT, member_id TEXT, pupil_name TEXT, birth_year INTEGER, household_id TEXT, hamlet_id TEXT, "
        "school TEXT, grade TEXT, category TEXT, kind TEXT, value_vnd INTEGER, sponsor TEXT, school_year TEXT, "
        "awarded_on TEXT, recurring INTEGER, ledger_entry_id TEXT, note TEXT",
    ),
    (
        "ledger",
        "entry_on TEXT, direction TEXT, category TEXT, voucher_no TEXT, counterpart TEXT, amount INTEGER, note TEXT",
    ),
    (
        "activities",
        "kind TEXT, name TEXT, field TEXT, starts_on TEXT, ends_on TEXT, place TEXT, participants INTEGER, note TEXT",
    ),
    ("activity_targets", "year INTEGER, kind TEXT, target INTEGER"),
    *(
        (
            key,
            "kind TEXT, recipient_kind TEXT, recipient TEXT, member_id TEXT, hamlet_id TEXT, level TEXT, "
            "issuer TEXT, decision_no TEXT, honoured_on TEXT, content TEXT",
        )
        for key in ("models", "commendations")
    ),
)


def _office_table_v8(key: str, columns: str) -> str:
    return f"""
CREATE TABLE office_{key} (
    row_id INTEGER PRIMARY KEY,
    commune_code TEXT NOT NULL,
    period TEXT NOT NULL,
    package_id TEXT NOT NULL REFERENCES received_package(id),
    sequence INTEGER NOT NULL,
    id TEXT NOT NULL,
    {columns},
    UNIQUE (commune_code, period, id)
)"""


_V8 = ";".join(
    [
        *(_office_table_v8(key, columns) for key, columns in _OFFICE_SHEETS_V8),
        "CREATE INDEX ix_office_households_sort ON office_households(period, name_sort)",
        "CREATE INDEX ix_office_members_name ON office_members(period, name_key, birth_year)",
        """
CREATE TABLE duplicate_decision (
    id TEXT PRIMARY KEY,
    sheet TEXT NOT NULL,
    first_commune TEXT NOT NULL,
    first_record TEXT NOT NULL,
    second_commune TEXT NOT NULL,
    second_record TEXT NOT NULL,
    decision TEXT NOT NULL,
    note TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    deleted_at TEXT
)""",
        "CREATE UNIQUE INDEX ux_duplicate_decision_live ON duplicate_decision(sheet, first_commune, first_record, "
        "second_commune, second_record) WHERE deleted_at IS NULL",
    ]
)


# Version 9: certificates (issue 7). The officer's wording per title or kind (one live row each, the fields as
# JSON); every certificate ever issued, under a serial never given twice, with the statement its QR code carries;
# and each printing of it, so a reprint is on record.
_V9 = """
CREATE TABLE certificate_template (
    id TEXT PRIMARY KEY,
    key TEXT NOT NULL,
    fields TEXT NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    deleted_at TEXT
);
CREATE UNIQUE INDEX ux_certificate_template_live ON certificate_template(key) WHERE deleted_at IS NULL;
CREATE TABLE certificate (
    id TEXT PRIMARY KEY,
    serial TEXT NOT NULL UNIQUE,
    commune_code TEXT NOT NULL,
    kind TEXT NOT NULL,
    title TEXT NOT NULL,
    year INTEGER NOT NULL,
    number INTEGER NOT NULL CHECK (number > 0),
    subject_id TEXT NOT NULL,
    recipient TEXT NOT NULL,
    decision_number TEXT NOT NULL DEFAULT '',
    decision_date TEXT NOT NULL DEFAULT '',
    statement TEXT NOT NULL,
    key_id TEXT NOT NULL,
    first_printed_at TEXT NOT NULL,
    last_printed_at TEXT NOT NULL,
    prints INTEGER NOT NULL DEFAULT 1 CHECK (prints > 0),
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    deleted_at TEXT,
    UNIQUE (commune_code, year, title, number),
    UNIQUE (kind, title, year, subject_id)
);
CREATE TABLE certificate_print (
    id TEXT PRIMARY KEY,
    certificate_id TEXT NOT NULL REFERENCES certificate(id),
    printed_at TEXT NOT NULL,
    reprint INTEGER NOT NULL,
    officer TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    deleted_at TEXT
);
CREATE INDEX ix_certificate_print_certificate ON certificate_print(certificate_id);
"""


def _move_office_rows_v8(connection: sqlite3.Connection) -> None:
    """Version 7's JSON rows into the typed tables, with the derived columns computed as version 8 defines them."""
    sequences = dict(connection.execute("SELECT id, sequence FROM received_package").fetchall())
    for key, columns in _OFFICE_SHEETS_V8:
        names = ["id", *(c.strip().split()[0] for c in columns.split(","))]
        derived = {"head_name", "member_count", "search_key", "name_sort", "name_key"}
        stored = [n for n in names if n not in derived]
        rows = connection.execute(
            "SELECT commune_code, period, package_id, data FROM office_row WHERE sheet = ?", (key,)
        ).fetchall()
        values = []
        for commune, period, package_id, data in rows:
            record = json.loads(data)
            plain = [int(v) if isinstance(v, bool) else v for v in (record.get(n) for n in stored)]
            values.append((commune, period, package_id, sequences.get(package_id, 0), *plain))
        marks = ", ".join("?" * (4 + len(stored)))
        connection.executemany(
            f"INSERT INTO office_{key} (commune_code, period, package_id, sequence, {', '.join(stored)}) "
            f"VALUES ({marks})",
            values,
        )
    connection.executemany(
        "UPDATE office_members SET name_key = ? WHERE row_id = ?",
        [
            (fold(name or ""), row_id)
            for row_id, name in connection.execute("SELECT row_id, full_name FROM office_members")
        ],
    )
    households = connection.execute(
        """SELECT h.row_id, h.code, coalesce(m.full_name, ''), h.address, h.phone, h.note,
                  (SELECT count(*) FROM office_members c WHERE c.commune_code = h.commune_code
                      AND c.period = h.period AND c.household_id = h.id)
           FROM office_households h LEFT JOIN office_members m ON m.commune_code = h.commune_code
                AND m.period = h.period AND m.household_id = h.id AND m.relation = 'chu_ho'"""
    ).fetchall()
    connection.executemany(
        "UPDATE office_households SET head_name = ?, member_count = ?, search_key = ?, name_sort = ? WHERE row_id = ?",
        [
            (
                head,
                count,
                household_search_text(code or "", head, address or "", phone or "", note or ""),
                name_sort_key(head),
                row_id,
            )
            for row_id, code, head, address, phone, note, count in households
        ],
    )
    connection.execute("DROP TABLE office_row")


def _check_v2_unique(connection: sqlite3.Connection) -> None:
    """Version 2 allows one live household per code and one head per household: name what breaks that."""
    codes = [row[0] for row in connection.execute(
        "SELECT code FROM household WHERE deleted_at IS NULL GROUP BY code HAVING count(*) > 1 ORDER BY code"
    )]  # fmt: skip
    heads = [row[0] for row in connection.execute(
        """SELECT h.code FROM member m JOIN household h ON h.id = m.household_id
           WHERE m.relation = 'chu_ho' AND m.deleted_at IS NULL GROUP BY m.household_id HAVING count(*) > 1
           ORDER BY h.code"""
    )]  # fmt: skip
    problems = []
    if codes:
        problems.append("trùng mã hộ " + ", ".join(codes))
    if heads:
        problems.append("có hơn một chủ hộ ở các hộ " + ", ".join(heads))
    if problems:
        raise UserError(
            "Không nâng cấp được dữ liệu: " + "; ".join(problems) + ". "
            "Hãy sửa bằng phiên bản cũ của phần mềm rồi mở lại; dữ liệu không bị thay đổi."
        )


STEPS: tuple[Step, ...] = (
    Step(1, _V1),
    Step(2, _V2, _fill_v2_keys, _check_v2_unique),
    Step(3, _V3),
    Step(4, _V4),
    Step(5, _V5),
    Step(6, _V6),
    Step(7, _V7),
    Step(8, _V8, _move_office_rows_v8),
    Step(9, _V9),
)
LATEST_VERSION = STEPS[-1].version


def schema_version(connection: sqlite3.Connection) -> int:
    return int(connection.execute("PRAGMA user_version").fetchone()[0])


def migrate(path: Path, data_dir: Path, upto: int = LATEST_VERSION) -> int:
    """Bring the database at `path` to version `upto`; back up first if it already holds data.

    Refuses (UserError) a database written by a newer version of the app. Returns the version reached.
    """
    # The version is read before any pragma: switching a refused file to WAL would already rewrite it.
    with closing(sqlite3.connect(path)) as plain:
        current = schema_version(plain)
    if current > LATEST_VERSION:
        raise UserError(
            f"Tệp dữ liệu {path.name} được tạo bởi phiên bản mới hơn của phần mềm (lược đồ {current}, "
            f"phiên bản này chỉ đọc được tới {LATEST_VERSION}). Hãy cập nhật phần mềm; dữ liệu không bị thay đổi."
        )
    if current >= upto:
        return current
    connection = connect(path)
    try:
        if current > 0:
            backup_database(path, data_dir, f"truoc-nang-cap-v{current}")
        for step in STEPS:
            if current < step.version <= upto:
                _run_step(connection, step)
                current = step.version
        return current
    finally:
        connection.close()


def _run_step(connection: sqlite3.Connection, step: Step) -> None:
    connection.execute("BEGIN IMMEDIATE")
    try:
        if step.check is not None:
            step.check(connection)
        for statement in step.sql.split(";"):
            if statement.strip():
                connection.execute(statement)
        if step.fill is not None:
            step.fill(connection)
        connection.execute(f"PRAGMA user_version = {step.version}")
        connection.execute("COMMIT")
    except BaseException:
        connection.execute("ROLLBACK")
        raise
