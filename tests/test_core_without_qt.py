"""Everything but ui/ runs without Qt: import the whole core in a fresh interpreter with PySide6 blocked."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[1]

SCRIPT = r"""
import importlib
import importlib.abc
import importlib.util
import json
import pkgutil
import sys

MARK = "PySide6 bị chặn trong phép thử"


class BlockQt(importlib.abc.MetaPathFinder):
    def find_spec(self, name, path=None, target=None):
        if name == "PySide6" or name.startswith("PySide6."):
            raise ImportError(f"{MARK}: {name}")
        return None


sys.meta_path.insert(0, BlockQt())

import khuyenhoc_desktop

# __main__ runs the program when imported; ui/ is the one layer allowed to need Qt.
SKIP = ("khuyenhoc_desktop.__main__", "khuyenhoc_desktop.ui")
imported = ["khuyenhoc_desktop"]


def walk(package):
    # iter_modules, not walk_packages: walk_packages would import ui/__init__ to look inside it.
    for info in pkgutil.iter_modules(package.__path__, package.__name__ + "."):
        if info.name in SKIP or info.name.startswith("khuyenhoc_desktop.ui."):
            continue
        module = importlib.import_module(info.name)
        imported.append(info.name)
        if info.ispkg:
            walk(module)


walk(khuyenhoc_desktop)
# The command line is core too: it must import Qt only inside the commands that open windows.
if "khuyenhoc_desktop.cli" not in imported and importlib.util.find_spec("khuyenhoc_desktop.cli") is not None:
    importlib.import_module("khuyenhoc_desktop.cli")
    imported.append("khuyenhoc_desktop.cli")

loaded_qt = sorted(m for m in sys.modules if m.startswith(("PySide6", "shiboken6")))
loaded_ui = sorted(m for m in sys.modules if m.startswith("khuyenhoc_desktop.ui"))

try:
    import khuyenhoc_desktop.ui.worker  # noqa: F401
except ImportError as exc:
    worker_error = str(exc)
else:
    worker_error = None

print(json.dumps({"imported": imported, "loaded_qt": loaded_qt, "loaded_ui": loaded_ui,
                  "worker_error": worker_error}, ensure_ascii=False))
"""


@pytest.fixture(scope="module")
def report() -> dict[str, Any]:
    completed = subprocess.run(
        [sys.executable, "-c", SCRIPT],
        cwd=ROOT,
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=120,
        env={**os.environ, "PYTHONIOENCODING": "utf-8"},
    )
    assert completed.returncode == 0, completed.stderr
    result: dict[str, Any] = json.loads(completed.stdout.strip().splitlines()[-1])
    return result


def test_core_imports_with_pyside6_blocked(report: dict[str, Any]) -> None:
    imported: list[str] = report["imported"]
    assert imported
    for layer in ("domain", "storage", "services"):
        assert any(name.startswith(f"khuyenhoc_desktop.{layer}.") for name in imported), layer
    for module in (
        "khuyenhoc_desktop.domain.text",
        "khuyenhoc_desktop.domain.household",
        "khuyenhoc_desktop.storage.migrations",
        "khuyenhoc_desktop.storage.backup",
        "khuyenhoc_desktop.services.households",
        "khuyenhoc_desktop.services.changes",
    ):
        assert module in imported
    assert not any(name.startswith("khuyenhoc_desktop.ui") for name in imported)


def module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def test_every_core_module_was_walked(report: dict[str, Any]) -> None:
    on_disk = {
        module_name(path)
        for path in (ROOT / "khuyenhoc_desktop").rglob("*.py")
        if not module_name(path).startswith(("khuyenhoc_desktop.ui", "khuyenhoc_desktop.__main__"))
    }
    assert "khuyenhoc_desktop.services.households" in on_disk
    assert on_disk <= set(report["imported"])


def test_core_pulls_in_neither_qt_nor_the_ui_layer(report: dict[str, Any]) -> None:
    assert report["loaded_qt"] == []
    assert report["loaded_ui"] == []  # imports only point downward


def test_the_block_really_blocks(report: dict[str, Any]) -> None:
    assert report["worker_error"] is not None, "khuyenhoc_desktop.ui.worker imported although PySide6 was blocked"
    assert "PySide6 bị chặn trong phép thử" in report["worker_error"]
