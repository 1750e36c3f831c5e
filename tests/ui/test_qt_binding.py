"""The Qt binding itself: a PySide6 release that loses references to None aborts the app on Python 3.11."""

from __future__ import annotations

import sys

from PySide6.QtGui import QStandardItem
from PySide6.QtWidgets import QApplication, QLabel

CALLS = 2000


def test_qt_calls_that_return_nothing_keep_none_alive(qtbot):
    label, item = QLabel(), QStandardItem()
    qtbot.addWidget(label)
    before = sys.getrefcount(None)
    for _ in range(CALLS):
        label.setText("x")
        label.setEnabled(True)
        item.setData(1, 256)
        QApplication.processEvents()
    lost = before - sys.getrefcount(None)
    assert lost < CALLS // 10, f"{lost} references to None lost in {4 * CALLS} Qt calls (PySide6 6.12.0's bug)"
