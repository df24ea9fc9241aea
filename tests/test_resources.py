"""The resources helper: every file the app asks for is in the checkout and on resources.REQUIRED (which the frozen
self-test checks inside the bundle), and frozen it looks in the bundle, not beside the source."""

from __future__ import annotations

import json
import shutil
import sys
from pathlib import Path

import pytest

from khuyenhoc_desktop import resources
from khuyenhoc_desktop.documents import fonts
from khuyenhoc_desktop.domain.rubric_presets import PRESETS
from khuyenhoc_desktop.resources import REQUIRED, missing_resources, resource_path, resources_dir
from khuyenhoc_desktop.ui import app as app_module

ROOT = Path(__file__).resolve().parents[1]


def test_every_required_resource_is_in_the_checkout() -> None:
    assert resources_dir() == ROOT / "resources"
    assert missing_resources() == []
    for relative in REQUIRED:
        assert resource_path(relative).stat().st_size > 0, relative


def test_the_list_names_every_file_the_app_opens() -> None:
    font_files = {f"fonts/{file_name}" for faces in fonts._FAMILIES.values() for _, file_name in faces}
    assert font_files <= set(REQUIRED)
    assert f"translations/{app_module.QT_TRANSLATOR_NAME}.qm" in REQUIRED
    assert {"khuyenhoc.png", "khuyenhoc.ico"} <= set(REQUIRED)
    assert resources.RUBRIC_PRESETS in REQUIRED


def test_the_rubric_presets_are_readable_utf8_json_with_one_entry_per_preset() -> None:
    text = resource_path(resources.RUBRIC_PRESETS).read_text(encoding="utf-8")
    assert "\\u" not in text  # Vietnamese readable for whoever adapts the wording
    assert [item["key"] for item in json.loads(text)] == [key for key, _ in PRESETS]


def test_a_missing_resource_is_named(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setattr(sys, "_MEIPASS", str(tmp_path), raising=False)
    with pytest.raises(FileNotFoundError) as raised:
        resource_path("khuyenhoc.ico")
    assert str(raised.value).startswith(f"Thiếu tệp của phần mềm: {tmp_path / 'resources' / 'khuyenhoc.ico'}.")
    assert missing_resources() == list(REQUIRED)


def test_frozen_it_looks_in_the_bundle(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """PyInstaller sets sys._MEIPASS to the bundle's _internal folder, where the spec puts resources/."""
    bundle = tmp_path / "_internal"
    shutil.copytree(ROOT / "resources", bundle / "resources")
    monkeypatch.setattr(sys, "_MEIPASS", str(bundle), raising=False)
    assert resources_dir() == bundle / "resources"
    assert missing_resources() == []
    assert resource_path("khuyenhoc.png") == bundle / "resources" / "khuyenhoc.png"
    (bundle / "resources" / "translations" / "qtbase_vi.qm").unlink()
    assert missing_resources() == ["translations/qtbase_vi.qm"]
