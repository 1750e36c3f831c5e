"""The ``c360`` command line: a thin face over ``c360_desktop.core``."""

from .main import main

__all__ = ["main"]
