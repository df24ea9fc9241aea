"""The faces every PDF is set in, vendored in resources/fonts/ because reportlab's built-in Times and Helvetica
have no Vietnamese: Liberation Serif (metric-compatible with Times New Roman, which Nghị định 30 documents use)
for the text of a paper, and Liberation Sans (metric-compatible with Arial) for the small machine-like print
beside it, such as a certificate's serial number."""

from __future__ import annotations

from functools import cache

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

from khuyenhoc_desktop.resources import resources_dir

FAMILY = "KhuyenHocSerif"
REGULAR = FAMILY
BOLD = f"{FAMILY}-Bold"
ITALIC = f"{FAMILY}-Italic"
BOLD_ITALIC = f"{FAMILY}-BoldItalic"

SANS_FAMILY = "KhuyenHocSans"
SANS = SANS_FAMILY
SANS_BOLD = f"{SANS_FAMILY}-Bold"
SANS_ITALIC = f"{SANS_FAMILY}-Italic"
SANS_BOLD_ITALIC = f"{SANS_FAMILY}-BoldItalic"

# family -> (regular, bold, italic, bold italic) as (registered name, vendored file)
_FAMILIES = {
    FAMILY: (
        (REGULAR, "LiberationSerif-Regular.ttf"),
        (BOLD, "LiberationSerif-Bold.ttf"),
        (ITALIC, "LiberationSerif-Italic.ttf"),
        (BOLD_ITALIC, "LiberationSerif-BoldItalic.ttf"),
    ),
    SANS_FAMILY: (
        (SANS, "LiberationSans-Regular.ttf"),
        (SANS_BOLD, "LiberationSans-Bold.ttf"),
        (SANS_ITALIC, "LiberationSans-Italic.ttf"),
        (SANS_BOLD_ITALIC, "LiberationSans-BoldItalic.ttf"),
    ),
}


@cache
def register_fonts() -> str:
    """Register both families once, each as a family so <b> and <i> in paragraphs pick the right face; the
    serif's name comes back because it is the body face of every paper."""
    folder = resources_dir() / "fonts"
    for family, faces in _FAMILIES.items():
        for name, file_name in faces:
            pdfmetrics.registerFont(TTFont(name, str(folder / file_name)))
        normal, bold, italic, bold_italic = (name for name, _ in faces)
        pdfmetrics.registerFontFamily(family, normal=normal, bold=bold, italic=italic, boldItalic=bold_italic)
    return FAMILY
