"""Sổ quản lý xã hội học tập cho Hội Khuyến học (khuyenhoc_desktop)."""

__version__ = "0.1.0"
APP_NAME = "khuyenhoc"
APP_TITLE = "Khuyến học"
