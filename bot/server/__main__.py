"""`python -m bot.server <Rasa command line>`: Rasa's own command line, with this
project's patches to Rasa (patches.py) installed first.

`make run` and the tests start the Rasa server this way (`python -m bot.server run ...`,
`python -m bot.server shell ...`). Training and the separate action server need no
patches and run as `rasa train` and `rasa run actions`.
"""
from __future__ import annotations

import sys
from typing import Optional, Sequence


def main(argv: Optional[Sequence[str]] = None) -> None:
    from bot.server import patches

    patches.install()
    from rasa.__main__ import main as rasa_main

    sys.argv = ["rasa", *(sys.argv[1:] if argv is None else argv)]
    rasa_main()


if __name__ == "__main__":
    main()
