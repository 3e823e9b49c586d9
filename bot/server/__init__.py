"""Rasa server plug-ins and the few, small, documented changes to Rasa's behaviour, all
in one place: the hot-path patches (patches.py), the atomic Redis lock store
(lock_store.py), and the entry point that installs the patches and runs Rasa's command
line (`python -m bot.server run ...`, __main__.py).

May import: anything.
"""
