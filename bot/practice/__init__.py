"""Practice mode for trainers: the dialogue's decisions (dialogue.py), scoring a rebuttal
split by what it checks (analysis.py reads the text, figure_check.py its figures,
structure.py its shape, scorer.py adds them up) and the practice replies (replies.py).

May import: bot.knowledge, bot.nlu (pure parts), bot.answers. No Rasa; spaCy only
through bot.nlu.pipeline.
"""
