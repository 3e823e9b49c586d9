"""`python -m bot.server <Rasa command line>`: Rasa's own command line, with this
project's changes to Rasa installed first.

`make run` and the tests start the Rasa server this way (`python -m bot.server run ...`,
`python -m bot.server shell ...`); `python -m bot.server run actions ...` is the separate
action server. For these the TensorFlow guard (tf_guard.py) goes in before anything
imports Rasa, then the patches (patches.py). Training runs as plain `rasa train`.

Libraries pinned by Rasa 3.6 print a screenful of deprecation warnings on import
(pkg_resources, pyparsing, SQLAlchemy 2.0 notices, click); none of them concerns this
project's code, so the serving process does not show them. Rasa's command line sets its
own warning filters when it starts (`rasa.utils.common._filter_warnings`, which puts
"once" for every UserWarning first, and pyparsing's deprecation warnings are
UserWarnings too), so ours are put back in front after it.
"""
from __future__ import annotations

import sys
import warnings
from typing import List, Optional, Sequence

SERVING = ("run", "shell")


def quiet_library_warnings() -> None:
    import sanic.app  # noqa: F401  (on import it asks to see every DeprecationWarning once)

    for category in (DeprecationWarning, PendingDeprecationWarning):
        warnings.filterwarnings("ignore", category=category)


def keep_quiet_after_rasa_sets_its_filters() -> None:
    import rasa.utils.common as common

    rasa_filters = common._filter_warnings

    def _filter_warnings(*args, **kwargs) -> None:
        rasa_filters(*args, **kwargs)
        quiet_library_warnings()

    common._filter_warnings = _filter_warnings


def guard_tensorflow(args: List[str]) -> Optional[str]:
    from bot.server import tf_guard

    if args[:2] == ["run", "actions"]:
        return tf_guard.install_for_actions()
    if args[:1] and args[0] in SERVING:
        return tf_guard.install(tf_guard.model_argument(args))
    return None


def main(argv: Optional[Sequence[str]] = None) -> None:
    args = list(sys.argv[1:] if argv is None else argv)
    quiet_library_warnings()
    said = guard_tensorflow(args)
    if said:
        print(said, file=sys.stderr, flush=True)
    from bot.server import patches

    patches.install()
    keep_quiet_after_rasa_sets_its_filters()
    from rasa.__main__ import main as rasa_main

    sys.argv = ["rasa", *args]
    rasa_main()


if __name__ == "__main__":
    main()
