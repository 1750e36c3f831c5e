"""Where the data files shipped with c360 live (presets, synonyms, nickname table, icons)."""

from __future__ import annotations

import os
import sys
from pathlib import Path

RESOURCES_ENV = "C360_RESOURCES"


def resources_dir() -> Path:
    """``C360_RESOURCES``, else the checkout's resources/ (editable install), else the installed copy."""
    override = os.environ.get(RESOURCES_ENV)
    if override:
        return Path(override)
    checkout = Path(__file__).resolve().parents[2] / "resources"
    if checkout.is_dir():
        return checkout
    return Path(sys.prefix) / "share" / "c360" / "resources"


def resource_path(*parts: str) -> Path:
    return resources_dir().joinpath(*parts)
