"""``python -m c360_desktop`` starts the desktop app."""

import sys

from c360_desktop.ui.app import main

if __name__ == "__main__":   # a fork-server worker imports this module under another name: no second app
    sys.exit(main())
