"""``python -m c360_desktop`` starts the desktop app."""

import sys

from c360_desktop.ui.app import main

sys.exit(main())
