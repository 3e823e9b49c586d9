"""Rasa custom actions; `rasa run actions --actions actions` loads every module here."""
