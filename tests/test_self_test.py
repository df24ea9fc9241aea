"""The self-test's first check: every file of resources.REQUIRED where the bundle keeps it, and a missing one named
and failing the run, so CI's frozen self-test fails on a file left out of pyinstaller.spec."""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

import pytest

from khuyenhoc_desktop.ui.self_test import RESOURCES_CHECK, run_self_test

ROOT = Path(__file__).resolve().parents[1]


def test_a_file_missing_from_the_bundle_fails_the_self_test(
    qapp: object, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    bundle = tmp_path / "_internal"
    shutil.copytree(ROOT / "resources", bundle / "resources")
    (bundle / "resources" / "khuyenhoc.ico").unlink()  # only Windows' Explorer reads it: the rest still runs
    monkeypatch.setattr(sys, "_MEIPASS", str(bundle), raising=False)
    lines: list[str] = []
    assert run_self_test(None, lines.append) == 1
    assert lines[0] == f"LỖI  {RESOURCES_CHECK}: thiếu khuyenhoc.ico"
    assert all(line.startswith("ĐẠT") for line in lines[1:-1])
    assert lines[-1] == "Tự kiểm tra: 1 mục lỗi."
