"""Rasa custom actions; `rasa run actions --actions actions` loads every module here."""
from actions import practice  # noqa: F401  (practice mode, issue 4)
