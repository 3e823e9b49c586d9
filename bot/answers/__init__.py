"""Turning knowledge into replies: rebuttals, facets, follow-ups, factual answers and menus
(render.py). Pure functions, no I/O; every reply names its template, topic and facts.

May import: bot.knowledge, and the pure parts of bot.nlu. No Rasa.
"""
