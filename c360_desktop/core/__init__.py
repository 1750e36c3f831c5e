"""Every business rule of c360. Nothing in this package imports Qt, the UI or the CLI."""
