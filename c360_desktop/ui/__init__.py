"""The PySide6 face of c360: windows, dialogs, Qt models over core queries, and background workers.

Nothing here holds a rule of the business; it calls ``c360_desktop.core``.
"""
