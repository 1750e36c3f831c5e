"""Icons: the app icon and the line icons of the navigation rail, drawn from SVGs in ``resources/icons``.

Line icons use ``currentColor``; we substitute a colour per state before
rendering, so one file gives the muted (off) and accent (on) variants.
Run ``python -m c360_desktop.ui.icons`` to re-render ``c360.png`` from ``c360.svg``.
"""

from __future__ import annotations

import sys
from pathlib import Path

from PySide6.QtCore import QByteArray, QRectF, Qt
from PySide6.QtGui import QIcon, QImage, QPainter, QPixmap
from PySide6.QtSvg import QSvgRenderer

from ..core.resources import resource_path
from . import theme

ICONS_DIR = resource_path("icons")
APP_ICON_SIZES = (16, 24, 32, 48, 64, 128, 256)


def icon_path(name: str) -> Path:
    return ICONS_DIR / name


def _svg_bytes(name: str, colour: str | None = None) -> bytes | None:
    try:
        text = icon_path(name).read_text(encoding="utf-8")
    except OSError:
        return None
    if colour:
        text = text.replace("currentColor", colour)
    return text.encode("utf-8")


def render_svg(data: bytes, size: int, device_pixel_ratio: float = 1.0) -> QImage:
    pixels = max(1, round(size * device_pixel_ratio))
    image = QImage(pixels, pixels, QImage.Format.Format_ARGB32_Premultiplied)
    image.fill(Qt.GlobalColor.transparent)
    renderer = QSvgRenderer(QByteArray(data))
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
    renderer.render(painter, QRectF(0, 0, pixels, pixels))
    painter.end()
    image.setDevicePixelRatio(device_pixel_ratio)
    return image


def _pixmap(data: bytes, size: int, dpr: float) -> QPixmap:
    return QPixmap.fromImage(render_svg(data, size, dpr))


def app_icon() -> QIcon:
    """The c360 icon at the usual sizes; the PNG beside the SVG if the SVG cannot be read."""
    data = _svg_bytes("c360.svg")
    icon = QIcon()
    if data is not None:
        for size in APP_ICON_SIZES:
            icon.addPixmap(_pixmap(data, size, 1.0))
    elif icon_path("c360.png").exists():
        icon.addFile(str(icon_path("c360.png")))
    return icon


def app_pixmap(size: int, dpr: float = 2.0) -> QPixmap:
    data = _svg_bytes("c360.svg")
    if data is None:
        return app_icon().pixmap(size)
    return _pixmap(data, size, dpr)


def line_icon(name: str, *, size: int = 24, off: str = theme.MUTED, on: str = theme.ACCENT) -> QIcon:
    """A line icon: ``off`` colour normally, ``on`` when checked; faint when disabled."""
    icon = QIcon()
    variants = (
        (off, QIcon.Mode.Normal, QIcon.State.Off),
        (on, QIcon.Mode.Normal, QIcon.State.On),
        (off, QIcon.Mode.Active, QIcon.State.Off),
        (on, QIcon.Mode.Active, QIcon.State.On),
        (theme.FAINT, QIcon.Mode.Disabled, QIcon.State.Off),
        (theme.FAINT, QIcon.Mode.Disabled, QIcon.State.On),
    )
    for colour, mode, state in variants:
        data = _svg_bytes(name, colour)
        if data is None:
            return QIcon()
        for dpr in (1.0, 2.0):
            icon.addPixmap(_pixmap(data, size, dpr), mode, state)
    return icon


def write_app_png(target: Path | None = None, size: int = 256) -> Path:
    """Render ``c360.svg`` to a PNG (default: ``resources/icons/c360.png``)."""
    target = target or icon_path("c360.png")
    data = _svg_bytes("c360.svg")
    if data is None:
        raise FileNotFoundError(icon_path("c360.svg"))
    if not render_svg(data, size).save(str(target), "PNG"):
        raise OSError(f"could not write {target}")
    return target


if __name__ == "__main__":  # pragma: no cover - a maintenance command
    from PySide6.QtGui import QGuiApplication

    _app = QGuiApplication(sys.argv[:1])
    print(write_app_png())
