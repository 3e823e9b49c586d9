"""How messages reach the bot and replies reach people: the REST channel that is never
silent (rest.py), the website widget over socket.io (web.py), reply formatting per chat
platform (platforms.py, pure), which platforms are on from the environment (config.py)
and the platform connectors (connectors/).

May import: bot.knowledge, bot.answers, bot.practice, Rasa and Sanic.
"""
