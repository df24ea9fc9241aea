"""The recycle bin across every register: one list, newest first, and restore by kind."""

from __future__ import annotations

from khuyenhoc_desktop.services import (
    activities,
    awards,
    citizens,
    clans,
    evaluations,
    honours,
    households,
    ledger,
    rubrics,
    units,
)
from khuyenhoc_desktop.services.deleted import BinSource, DeletedRecord
from khuyenhoc_desktop.services.workspace import Workspace

SOURCES: tuple[BinSource, ...] = (
    *households.BIN_SOURCES,
    *clans.BIN_SOURCES,
    *units.BIN_SOURCES,
    *citizens.BIN_SOURCES,
    *evaluations.BIN_SOURCES,
    *rubrics.BIN_SOURCES,
    *awards.BIN_SOURCES,
    *ledger.BIN_SOURCES,
    *activities.BIN_SOURCES,
    *honours.BIN_SOURCES,
)


def list_deleted(workspace: Workspace) -> list[DeletedRecord]:
    records = [record for source in SOURCES for record in source.records(workspace)]
    return sorted(records, key=lambda r: r.deleted_at, reverse=True)


def restore(workspace: Workspace, record: DeletedRecord) -> None:
    next(source for source in SOURCES if source.kind == record.kind).restore(workspace, record.id)
