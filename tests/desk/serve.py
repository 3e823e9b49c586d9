"""A Sanic server with only the desk's channels, registered the way `rasa run` registers
input channels (under /webhooks/), for the channel tests:

    python -m tests.desk.serve PORT TRACKER_URL
"""
from __future__ import annotations

import sys

from rasa.core.channels.channel import register
from sanic import Sanic

from bot.desk.channel import ClaimReviewInput, DeskInput


def main() -> None:
    port, tracker_url = int(sys.argv[1]), sys.argv[2]
    app = Sanic("desk_test")
    channels = [DeskInput.from_credentials({"tracker_url": tracker_url}), ClaimReviewInput.from_credentials({})]
    register(channels, app, route="/webhooks/")
    app.run(host="127.0.0.1", port=port, access_log=False, workers=1)


if __name__ == "__main__":
    main()
