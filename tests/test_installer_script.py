"""installer/khuyenhoc.iss against what it packs and what it must leave alone: it installs the folder and the
program pyinstaller.spec builds, takes the version the build guide passes from khuyenhoc_desktop.__version__, and
its uninstaller never reaches the data folder, which on Windows is %LOCALAPPDATA%\\khuyenhoc (platformdirs, local,
no publisher folder) with the logs inside it."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from platformdirs import windows

import khuyenhoc_desktop
from khuyenhoc_desktop.storage import paths

ROOT = Path(__file__).resolve().parents[1]
SCRIPT = ROOT / "installer" / "khuyenhoc.iss"
SPEC = (ROOT / "pyinstaller.spec").read_text(encoding="utf-8")
GUIDE = (ROOT / "docs" / "windows-build.md").read_text(encoding="utf-8")


def script_lines() -> list[str]:
    """The script without its comments and blank lines; the BOM is how Inno Setup before 6.3 knows it is UTF-8."""
    raw = SCRIPT.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    lines = (line.strip() for line in raw.decode("utf-8-sig").splitlines())
    return [line for line in lines if line and not line.startswith(";")]


def sections() -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    current = ""
    for line in script_lines():
        if line.startswith("[") and line.endswith("]"):
            current = line[1:-1]
            found[current] = []
        else:
            found.setdefault(current, []).append(line)
    return found


def defines() -> dict[str, str]:
    return dict(re.findall(r'^#define (\w+) "([^"]*)"$', "\n".join(script_lines()), flags=re.MULTILINE))


def setup() -> dict[str, str]:
    return dict(line.split("=", 1) for line in sections()["Setup"])


def test_it_packs_the_folder_and_the_windowed_program_the_spec_builds() -> None:
    (folder,) = re.findall(r'COLLECT\(.*?name="([^"]+)"', SPEC, flags=re.DOTALL)
    windowed = re.findall(r'_program\("([^"]+)", console=False\)', SPEC)
    assert defines()["BuildDir"] == f"..\\dist\\{folder}"
    assert [defines()["AppExe"]] == [f"{name}.exe" for name in windowed]
    assert sections()["Files"] == [
        'Source: "{#BuildDir}\\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs'
    ]
    assert setup()["SetupIconFile"] == "..\\resources\\khuyenhoc.ico"


def test_it_installs_for_the_officer_alone_without_administrator_rights() -> None:
    assert setup()["PrivilegesRequired"] == "lowest"
    assert setup()["DefaultDirName"] == "{localappdata}\\Programs\\KhuyenHoc"
    shortcuts = sections()["Icons"]
    assert shortcuts[0].startswith('Name: "{autoprograms}\\{#AppName}"; Filename: "{app}\\{#AppExe}"')
    assert shortcuts[1].endswith("Tasks: desktopicon")
    assert defines()["AppName"] == khuyenhoc_desktop.APP_TITLE
    assert defines()["Publisher"] == "Hội Khuyến học"


def test_the_version_comes_from_the_package_through_the_command_line() -> None:
    lines = script_lines()
    assert lines[:3] == [
        "#ifndef AppVersion",
        "#error Thiếu số phiên bản: iscc /DAppVersion=x.y.z installer\\khuyenhoc.iss",
        "#endif",
    ]
    assert "AppVersion" not in defines()  # never written into the script itself
    assert setup()["AppVersion"] == setup()["VersionInfoVersion"] == "{#AppVersion}"
    assert re.fullmatch(r"\d+(\.\d+){0,3}", khuyenhoc_desktop.__version__)  # what VersionInfoVersion accepts
    guide = GUIDE.splitlines()
    read = guide.index(
        '$version = .venv\\Scripts\\python -c "import khuyenhoc_desktop; print(khuyenhoc_desktop.__version__)"'
    )
    assert guide[read + 1] == "iscc /DAppVersion=$version installer\\khuyenhoc.iss"


def test_the_uninstaller_leaves_the_data_folder_alone() -> None:
    assert not {"UninstallDelete", "UninstallRun", "InstallDelete"} & set(sections())
    data_folder = re.compile(r"\{(localappdata|userappdata|app)\}\\khuyenhoc\b", flags=re.IGNORECASE)
    assert [line for line in script_lines() if data_folder.search(line)] == []


def test_on_windows_the_data_and_logs_live_in_local_appdata(monkeypatch: pytest.MonkeyPatch) -> None:
    """platformdirs' own Windows rules, with the known folders of an officer's account."""
    known = {
        "CSIDL_LOCAL_APPDATA": "C:\\Users\\hoa\\AppData\\Local",
        "CSIDL_APPDATA": "C:\\Users\\hoa\\AppData\\Roaming",
    }
    monkeypatch.setattr(windows, "get_win_folder", known.__getitem__)

    def user_data_path(*args: object, **options: object) -> Path:
        return windows.Windows(*args, **options).user_data_path  # type: ignore[arg-type]

    monkeypatch.setattr(paths, "user_data_path", user_data_path)
    data_dir = paths.default_data_dir()
    assert str(data_dir).replace("/", "\\") == "C:\\Users\\hoa\\AppData\\Local\\khuyenhoc"
    assert paths.logs_dir(data_dir).parent == data_dir
    program_folder = setup()["DefaultDirName"].replace("{localappdata}", known["CSIDL_LOCAL_APPDATA"])
    assert not str(data_dir).replace("/", "\\").lower().startswith(program_folder.lower())
