"""Understanding messages: the spaCy pipeline built from repository data (pipeline.py), the
intent classifier Rasa trains and serves (classifier.py), pure decisions on what an NLU
result means for the answer (understand.py), and NLU quality on held-out sets (evaluate.py).

May import: bot.knowledge. Only classifier.py and evaluate.py import Rasa; pipeline.py and
understand.py stay pure.
"""
