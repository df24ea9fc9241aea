"""Where the shipped files (icons, fonts, Qt's Vietnamese, rubric presets) are, for the window, the documents and
the domain alike, without Qt: one place that knows the difference between a checkout and the frozen bundle."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

RUBRIC_PRESETS = "rubrics/presets.json"

# Every file the app asks for, relative to resources/: the tests check them in the checkout and the frozen
# self-test in the bundle, so a file missing from pyinstaller.spec's datas fails CI rather than an officer's start.
REQUIRED: tuple[str, ...] = (
    "khuyenhoc.png",
    "khuyenhoc.ico",
    "translations/qtbase_vi.qm",
    *(
        f"fonts/Liberation{family}-{face}.ttf"
        for family in ("Serif", "Sans")
        for face in ("Regular", "Bold", "Italic", "BoldItalic")
    ),
    RUBRIC_PRESETS,
)


def resources_dir() -> Path:
    """resources/ beside the package in a checkout, or inside the PyInstaller bundle."""
    bundle = getattr(sys, "_MEIPASS", None)
    return Path(bundle) / "resources" if bundle else Path(__file__).resolve().parents[1] / "resources"


def resource_path(relative: str) -> Path:
    """A shipped file that must be there; a broken installation is named by the file it lacks, not by whatever
    fails later for want of it."""
    path = resources_dir() / relative
    if not path.is_file():
        raise FileNotFoundError(f"Thiếu tệp của phần mềm: {path}. Bản cài đặt không đầy đủ, hãy cài lại phần mềm.")
    return path


def missing_resources() -> list[str]:
    """The REQUIRED files that are not where the app will look for them."""
    return [relative for relative in REQUIRED if not (resources_dir() / relative).is_file()]


def read_json(relative: str) -> Any:
    return json.loads(resource_path(relative).read_text(encoding="utf-8"))
