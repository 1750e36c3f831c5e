"""c360: a privacy-first Customer 360 desktop application for small businesses."""

__version__ = "0.1.0"
APP_NAME = "c360"
LICENSE_NAME = "Apache License 2.0"
