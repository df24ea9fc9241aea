"""The ORM mapping of the current schema. Migrations create these tables with SQL of their own and never
import this module, so an old database can always be brought up to date."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

from sqlmodel import Field, SQLModel


def new_id() -> str:
    return str(uuid.uuid4())


def utc_now() -> str:
    """UTC timestamps as ISO text: readable in the file and identical on every machine that merges it."""
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


class Profile(SQLModel, table=True):
    """The one row that says whose data this folder holds."""

    id: int = Field(default=1, primary_key=True)
    role: str
    province_code: str
    province_name: str
    commune_code: str = ""
    commune_name: str = ""
    association_name: str
    officer_name: str
    signer_title: str
    signer_name: str
    working_year: int
    created_at: str = Field(default_factory=utc_now)
    updated_at: str = Field(default_factory=utc_now)


class Hamlet(SQLModel, table=True):
    id: str = Field(default_factory=new_id, primary_key=True)
    name: str
    position: int = 0
    created_at: str = Field(default_factory=utc_now)
    updated_at: str = Field(default_factory=utc_now)
    deleted_at: str | None = None


class Household(SQLModel, table=True):
    id: str = Field(default_factory=new_id, primary_key=True)
    code: str
    hamlet_id: str = Field(foreign_key="hamlet.id")
    address: str = ""
    phone: str = ""
    note: str = ""
    search_key: str = ""
    created_at: str = Field(default_factory=utc_now)
    updated_at: str = Field(default_factory=utc_now)
    deleted_at: str | None = None


class Member(SQLModel, table=True):
    id: str = Field(default_factory=new_id, primary_key=True)
    household_id: str = Field(foreign_key="household.id")
    full_name: str
    name_key: str = ""
    name_sort: str = ""
    birth_year: int | None = None
    sex: str = "nam"
    relation: str = "con"
    school: str = ""
    learning_status: str = "khong_di_hoc"
    position: int = 0
    created_at: str = Field(default_factory=utc_now)
    updated_at: str = Field(default_factory=utc_now)
    deleted_at: str | None = None


class AuditEntry(SQLModel, table=True):
    __tablename__ = "audit_log"

    id: int | None = Field(default=None, primary_key=True)
    at: str = Field(default_factory=utc_now)
    officer: str = ""
    action: str
    table_name: str
    record_id: str
    before_json: str | None = None
    after_json: str | None = None
