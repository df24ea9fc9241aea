# Shared by scripts/start and scripts/test (sourced, not run): what a fresh machine lacks, installed once.
# shellcheck shell=bash

# The shared libraries PySide6-Essentials' QtCore/QtGui/QtWidgets load with QT_QPA_PLATFORM=offscreen, found
# with `objdump -p` on its .so files (the rest are bundled in the wheel or pulled in by these).
QT_OFFSCREEN_PACKAGES=(libegl1 libgl1 libxkbcommon0 libfontconfig1 libfreetype6 libdbus-1-3 libglib2.0-0)
# The same for a real window on an X11 or XWayland desktop (Qt's xcb platform plugin).
QT_WINDOW_PACKAGES=(libx11-xcb1 libxcb-cursor0 libxcb-icccm4 libxcb-image0 libxcb-keysyms1 libxcb-randr0
    libxcb-render-util0 libxcb-shape0 libxcb-xkb1 libxkbcommon-x11-0)
# What the tests use besides Qt: pdftoppm and pdftotext, to render and read back the PDFs the app writes.
TEST_PACKAGES=(poppler-utils)

VENV="${VENV:-.venv}"

say() { printf '%s\n' "$*" >&2; }

# Install the Debian packages that are missing; root installs them, anyone else is told the command.
ensure_debian_packages() {
    command -v dpkg-query >/dev/null || return 0  # not Debian or Ubuntu: the developer's own business
    local missing=() package
    for package in "$@"; do
        dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q 'ok installed' || missing+=("$package")
    done
    ((${#missing[@]})) || return 0
    if [[ $(id -u) -ne 0 ]]; then
        say "Thiếu gói hệ thống. Hãy chạy: sudo apt-get install ${missing[*]}"
        return 1
    fi
    say "Cài gói hệ thống: ${missing[*]}"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

# Create the virtual environment if needed and install the project (editable) with the given extras,
# again only when pyproject.toml changed since the last install.
ensure_venv() {
    local extras="$1" python="${PYTHON:-python3}"
    if [[ ! -x "$VENV/bin/python" ]]; then
        "$python" -c 'import sys; sys.exit(sys.version_info < (3, 11))' || {
            say "Cần Python 3.11 trở lên ($python là $("$python" --version 2>&1))."
            return 1
        }
        if ! "$python" -m venv "$VENV"; then
            # Debian's own python3 ships venv separately.
            rm -rf "$VENV"
            ensure_debian_packages python3-venv
            "$python" -m venv "$VENV"
        fi
    fi
    local stamp="$VENV/.installed${extras}"
    if [[ ! -f "$stamp" || pyproject.toml -nt "$stamp" ]]; then
        "$VENV/bin/python" -m pip install -q --disable-pip-version-check -e ".${extras}"
        touch "$stamp"
    fi
}
