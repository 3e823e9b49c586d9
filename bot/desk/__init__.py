"""The editor's desk: what people ask, what the bot could not answer, which answers were
probably wrong, and public ClaimReview for others (docs/desk.md).

Holds the redactor (redact.py) and keyed pseudonyms (pseudonym.py); the desk's tables and
where they live (store.py); incremental reading of Rasa's tracker store (ingest.py);
folding near-identical texts (clusters.py); pure aggregations (stats.py) and suspect
answers (review.py); queries and labels (query.py); erasure and retention
(retention.py); ClaimReview JSON-LD (claimreview.py); server-rendered pages and exports
(pages.py, templates/); access rules (auth.py); the desk as one object (service.py); the
Rasa input channels (channel.py); and `python -m bot desk` (cli.py).

May import: bot.knowledge only. sqlalchemy, jinja2 and PyYAML anywhere; sanic and rasa
only in channel.py. Nothing reads a file or a database at import time.
"""
