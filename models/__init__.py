"""KneeCheck's domain and persistence: everything that is not Qt.

The checklist catalogue, the case format, the assessment rules, and (from the storage work) the
database schema, the store and migrations. Nothing here imports PySide6 or ReportLab.
"""

APP_NAME = "KneeCheck"
APP_VERSION = "0.1.0"
