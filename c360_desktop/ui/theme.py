"""The look: a calm light theme with one accent colour (teal), on Qt's Fusion style.

Colours are named once here; widgets refer to object names (``#PageTitle``,
``#Muted``, ``#Error``, ``#Card``…) or the ``primary`` property, never to hex.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QFont, QPalette
from PySide6.QtWidgets import QApplication, QPushButton, QStyleFactory

ACCENT = "#0F766E"
ACCENT_HOVER = "#115E59"
ACCENT_SOFT = "#E3F2EF"
ACCENT_DISABLED = "#A9CCC7"
BACKGROUND = "#F4F6F8"
SURFACE = "#FFFFFF"
SURFACE_HOVER = "#EEF1F4"
BORDER = "#DDE2E8"
BORDER_STRONG = "#C6CDD5"
TEXT = "#1B2430"
MUTED = "#5B6675"
FAINT = "#98A2B3"
DANGER = "#B42318"
DANGER_SOFT = "#FEF3F2"
DANGER_BORDER = "#FDD2CD"
SUCCESS = "#067647"
SUCCESS_SOFT = "#ECFDF3"
WARNING = "#B54708"

# Strength meter, score 0..4: semantic colours, not decoration.
STRENGTH_COLOURS = ("#D92D20", "#E0620D", "#D6A100", "#3F9C5A", "#067647")

STYLESHEET = f"""
QMainWindow, QDialog {{ background: {BACKGROUND}; }}
QWidget {{ color: {TEXT}; }}
QToolTip {{ background: {TEXT}; color: white; border: none; padding: 4px 6px; }}

#NavRail {{ background: {SURFACE}; border-right: 1px solid {BORDER}; }}
#NavRail QToolButton {{
    border: none; border-radius: 10px; padding: 8px 2px 6px 2px; margin: 1px 0;
    color: {MUTED}; font-size: 9pt;
}}
#NavRail QToolButton:hover {{ background: {SURFACE_HOVER}; }}
#NavRail QToolButton:checked {{ background: {ACCENT_SOFT}; color: {ACCENT}; font-weight: 600; }}
#NavRail QToolButton:disabled {{ color: {FAINT}; }}

QPushButton {{
    padding: 6px 14px; border: 1px solid {BORDER_STRONG}; border-radius: 6px;
    background: {SURFACE}; min-height: 18px;
}}
QPushButton:hover {{ background: {SURFACE_HOVER}; }}
QPushButton:pressed {{ background: {BORDER}; }}
QPushButton:focus {{ border-color: {ACCENT}; }}
QPushButton:disabled {{ color: {FAINT}; background: {BACKGROUND}; border-color: {BORDER}; }}
QPushButton[primary="true"] {{ background: {ACCENT}; border-color: {ACCENT}; color: white; font-weight: 600; }}
QPushButton[primary="true"]:hover {{ background: {ACCENT_HOVER}; }}
QPushButton[primary="true"]:focus {{ border-color: {ACCENT_HOVER}; }}
QPushButton[primary="true"]:disabled {{ background: {ACCENT_DISABLED}; border-color: {ACCENT_DISABLED}; color: white; }}
QPushButton[link="true"] {{
    border: none; background: transparent; color: {ACCENT}; padding: 4px 2px;
}}
QPushButton[link="true"]:hover {{ text-decoration: underline; }}
QPushButton[link="true"]:disabled {{ color: {FAINT}; }}

QLineEdit, QPlainTextEdit, QComboBox, QSpinBox {{
    padding: 6px 8px; border: 1px solid {BORDER_STRONG}; border-radius: 6px; background: {SURFACE};
    selection-background-color: {ACCENT};
}}
QLineEdit:focus, QPlainTextEdit:focus, QComboBox:focus, QSpinBox:focus {{ border-color: {ACCENT}; }}
QComboBox {{ padding-right: 28px; }}
QComboBox::drop-down {{ border: none; width: 26px; subcontrol-origin: padding; subcontrol-position: center right; }}
QComboBox::down-arrow {{ image: url("{{chevron_down}}"); width: 14px; height: 14px; }}
QComboBox QAbstractItemView {{
    border: 1px solid {BORDER}; background: {SURFACE}; selection-background-color: {ACCENT_SOFT};
    selection-color: {TEXT}; padding: 4px; outline: none;
}}
QSpinBox {{ padding-right: 24px; }}
QSpinBox::up-button, QSpinBox::down-button {{ border: none; width: 22px; subcontrol-origin: border; }}
QSpinBox::up-button {{ subcontrol-position: top right; }}
QSpinBox::down-button {{ subcontrol-position: bottom right; }}
QSpinBox::up-arrow {{ image: url("{{chevron_up}}"); width: 12px; height: 12px; }}
QSpinBox::down-arrow {{ image: url("{{chevron_down}}"); width: 12px; height: 12px; }}
QLineEdit:read-only {{ background: {BACKGROUND}; color: {MUTED}; }}
QLineEdit:disabled {{ background: {BACKGROUND}; color: {FAINT}; }}

QLabel#PageTitle {{ font-size: 17pt; font-weight: 600; }}
QLabel#DialogTitle {{ font-size: 14pt; font-weight: 600; }}
QLabel#SectionTitle {{ font-size: 11pt; font-weight: 600; }}
QLabel#Muted {{ color: {MUTED}; }}
QLabel#Faint {{ color: {FAINT}; }}
QLabel#Error {{
    color: {DANGER}; background: {DANGER_SOFT}; border: 1px solid {DANGER_BORDER};
    border-radius: 6px; padding: 7px 9px;
}}
QLabel#Success {{
    color: {SUCCESS}; background: {SUCCESS_SOFT}; border-radius: 6px; padding: 7px 9px;
}}
QLabel#RecoveryKey {{
    font-family: "DejaVu Sans Mono", "Menlo", "Consolas", monospace; font-size: 12pt;
    background: {SURFACE}; border: 1px dashed {BORDER_STRONG}; border-radius: 8px; padding: 12px;
}}

QFrame#Card {{ background: {SURFACE}; border: 1px solid {BORDER}; border-radius: 12px; }}
QFrame#EmptyState {{ background: {SURFACE}; border: 1px dashed {BORDER_STRONG}; border-radius: 12px; }}

QTableView, QListView {{
    background: {SURFACE}; border: 1px solid {BORDER}; border-radius: 8px;
    gridline-color: {SURFACE_HOVER}; alternate-background-color: #FAFBFC;
    selection-background-color: {ACCENT_SOFT}; selection-color: {TEXT};
}}
QTableView::item {{ padding: 0 4px; border: none; }}
QHeaderView::section {{
    background: {SURFACE}; border: none; border-bottom: 1px solid {BORDER};
    padding: 7px 8px; font-weight: 600; color: {MUTED};
}}
QTableCornerButton::section {{ background: {SURFACE}; border: none; }}

QProgressBar#Busy {{ border: none; background: {SURFACE_HOVER}; border-radius: 2px; max-height: 4px; }}
QProgressBar#Busy::chunk {{ background: {ACCENT}; border-radius: 2px; }}

QStatusBar {{ background: {SURFACE}; border-top: 1px solid {BORDER}; color: {MUTED}; }}
QStatusBar QLabel {{ color: {MUTED}; padding: 0 6px; }}
QStatusBar QLabel#LockChip {{ font-weight: 600; }}
QMenuBar {{ background: {SURFACE}; border-bottom: 1px solid {BORDER}; }}
QMenuBar::item:selected {{ background: {SURFACE_HOVER}; }}
QGroupBox {{ font-weight: 600; }}
QCheckBox {{ spacing: 8px; }}
"""


def stylesheet() -> str:
    """The stylesheet with the arrow images of combo and spin boxes resolved to files."""
    from .icons import icon_path

    return STYLESHEET.replace("{chevron_down}", icon_path("chevron-down.svg").as_posix()).replace(
        "{chevron_up}", icon_path("chevron-up.svg").as_posix()
    )


def palette() -> QPalette:
    pal = QPalette()
    colours = {
        QPalette.ColorRole.Window: BACKGROUND,
        QPalette.ColorRole.WindowText: TEXT,
        QPalette.ColorRole.Base: SURFACE,
        QPalette.ColorRole.AlternateBase: "#FAFBFC",
        QPalette.ColorRole.Text: TEXT,
        QPalette.ColorRole.Button: SURFACE,
        QPalette.ColorRole.ButtonText: TEXT,
        QPalette.ColorRole.Highlight: ACCENT,
        QPalette.ColorRole.HighlightedText: "#FFFFFF",
        QPalette.ColorRole.ToolTipBase: TEXT,
        QPalette.ColorRole.ToolTipText: "#FFFFFF",
        QPalette.ColorRole.PlaceholderText: FAINT,
        QPalette.ColorRole.Link: ACCENT,
        QPalette.ColorRole.Mid: BORDER,
        QPalette.ColorRole.Midlight: SURFACE_HOVER,
        QPalette.ColorRole.Light: SURFACE,
        QPalette.ColorRole.Dark: BORDER_STRONG,
    }
    for role, colour in colours.items():
        pal.setColor(role, QColor(colour))
    for role in (QPalette.ColorRole.WindowText, QPalette.ColorRole.Text, QPalette.ColorRole.ButtonText):
        pal.setColor(QPalette.ColorGroup.Disabled, role, QColor(FAINT))
    return pal


def apply(app: QApplication) -> None:
    """Fusion + our palette + stylesheet, whatever the desktop's own theme is."""
    fusion = QStyleFactory.create("Fusion")
    if fusion is not None:
        app.setStyle(fusion)
    hints = app.styleHints()
    if hasattr(hints, "setColorScheme"):
        hints.setColorScheme(Qt.ColorScheme.Light)
    app.setPalette(palette())
    font = app.font()
    if font.pointSizeF() < 10:
        font.setPointSizeF(10)
    font.setHintingPreference(QFont.HintingPreference.PreferNoHinting)
    app.setFont(font)
    app.setStyleSheet(stylesheet())


def mark_primary(button: QPushButton) -> QPushButton:
    """The one call-to-action of a dialog or page."""
    button.setProperty("primary", True)
    button.setDefault(True)
    button.setAutoDefault(True)
    return button


def mark_link(button: QPushButton) -> QPushButton:
    """A quiet, text-only button for secondary actions."""
    button.setProperty("link", True)
    button.setAutoDefault(False)
    button.setDefault(False)
    button.setCursor(Qt.CursorShape.PointingHandCursor)
    return button
