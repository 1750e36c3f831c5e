"""``python -m c360_desktop.cli`` is the ``c360`` command."""

import sys

from .main import main

sys.exit(main())
