"""Server-rendered pages and exports of the desk (Jinja2, inline SVG, CSV).

Pure: data in, text out. Templates live in templates/ and are autoescaped; charts are
inline SVG drawn here, so a page needs no script at all. The page policy (CSP) allows only
the desk's own style sheet and forms posting to the desk itself.
"""
from __future__ import annotations

import csv
import datetime as dt
import io
import json
from functools import lru_cache
from pathlib import Path
from typing import Any, Dict, Iterable, List, Mapping, Optional, Sequence

from jinja2 import Environment, FileSystemLoader, select_autoescape
from markupsafe import Markup

TEMPLATES = Path(__file__).resolve().parent / "templates"
CSS = TEMPLATES / "desk.css"
PERIODS = (7, 30, 90)
DESK_CSP = ("default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; "
            "base-uri 'none'; frame-ancestors 'none'")
PUBLIC_CSP = "default-src 'none'; style-src 'self'; base-uri 'none'; frame-ancestors 'none'"
LABEL_NAMES = {"myth": "belongs to a myth", "new_claim": "new claim to check",
               "out_of_scope": "out of scope", "spam": "spam"}


def sparkline(series: Sequence[int], width: int = 120, height: int = 24) -> Markup:
    """A polyline of the series, scaled to its maximum, with an accessible title."""
    if not series:
        return Markup("")
    top = max(series) or 1
    step = width / max(len(series) - 1, 1)
    points = " ".join(f"{i * step:.1f},{height - 2 - (v / top) * (height - 4):.1f}" for i, v in enumerate(series))
    return Markup(
        f'<svg class="spark" viewBox="0 0 {width} {height}" width="{width}" height="{height}" role="img">'
        f"<title>{sum(series)} in {len(series)} days, at most {max(series)} a day</title>"
        f'<polyline fill="none" stroke="currentColor" stroke-width="1.5" points="{points}"/></svg>')


def bars(values: Sequence[int], labels: Sequence[str], width: int = 600, height: int = 120) -> Markup:
    """Vertical bars, one per value, each with a title (day and value)."""
    if not values:
        return Markup("")
    top = max(values) or 1
    w = width / len(values)
    rects = "".join(
        f'<rect x="{i * w + 0.5:.1f}" y="{height - (v / top) * (height - 2):.1f}" width="{max(w - 1, 0.5):.1f}" '
        f'height="{(v / top) * (height - 2):.1f}"><title>{_esc(labels[i])}: {v}</title></rect>'
        for i, v in enumerate(values) if v)
    return Markup(f'<svg class="bars" viewBox="0 0 {width} {height}" preserveAspectRatio="none" role="img">'
                  f"<title>per day, at most {max(values)}</title>{rects}</svg>")


def _esc(text: str) -> str:
    return str(Markup.escape(text))


def when(ts: Optional[float]) -> str:
    if ts is None:
        return ""
    return dt.datetime.fromtimestamp(ts, tz=dt.timezone.utc).strftime("%Y-%m-%d %H:%M")


def percent(value: Optional[float]) -> str:
    return "–" if value is None else f"{value:.0%}"


@lru_cache(maxsize=1)
def environment() -> Environment:
    env = Environment(loader=FileSystemLoader(str(TEMPLATES)), autoescape=select_autoescape(["html"]),
                      trim_blocks=True, lstrip_blocks=True)
    env.globals.update(sparkline=sparkline, bars=bars, when=when, percent=percent, periods=PERIODS,
                       label_names=LABEL_NAMES)
    return env


def render(name: str, **context: Any) -> str:
    return environment().get_template(name).render(**context)


def server_links(days: int, base: str = "/desk") -> Dict[str, str]:
    """Where the pages link to when the bot's server serves them."""
    return {"overview": f"{base}/?days={days}", "queue": f"{base}/queue?days={days}",
            "review": f"{base}/review?days={days}", "css": f"{base}/desk.css", "login": f"{base}/login",
            "logout": f"{base}/logout", "label": f"{base}/queue/",
            "overview_csv": f"{base}/export/overview.csv?days={days}",
            "myths_csv": f"{base}/export/myths.csv?days={days}",
            "clusters_csv": f"{base}/export/clusters.csv?days={days}", "candidates": f"{base}/export/candidates.yml"}


STATIC_LINKS = {"overview": "index.html", "queue": "queue.html", "review": "review.html", "css": "desk.css",
                "login": "", "logout": "", "label": "", "overview_csv": "overview.csv", "myths_csv": "myths.csv",
                "clusters_csv": "clusters.csv", "candidates": "candidates.yml"}


def overview_page(data: Mapping[str, Any], days: int, csrf: str, editor: str, links: Mapping[str, str],
                  static: bool = False) -> str:
    return render("overview.html", o=data, days=days, csrf=csrf, editor=editor, links=links, static=static,
                  page="overview")


def queue_page(clusters: List[Mapping[str, Any]], myths: Sequence[str], days: int, csrf: str, editor: str,
               links: Mapping[str, str], static: bool = False, message: str = "") -> str:
    return render("queue.html", clusters=clusters, myths=myths, days=days, csrf=csrf, editor=editor, links=links,
                  static=static, page="queue", message=message)


def review_page(suspects: List[Mapping[str, Any]], days: int, csrf: str, editor: str, links: Mapping[str, str],
                static: bool = False) -> str:
    return render("review.html", suspects=suspects, days=days, csrf=csrf, editor=editor, links=links,
                  static=static, page="review")


def login_page(error: str = "", base: str = "/desk") -> str:
    return render("login.html", error=error, links=server_links(30, base), page="login", csrf="", editor="",
                  days=30, static=False)


def claim_page(review: Mapping[str, Any], body: Mapping[str, Any]) -> str:
    """A public page about one myth carrying its ClaimReview as JSON-LD."""
    data = json.dumps(review, ensure_ascii=False, indent=1).replace("</", "<\\/")
    return render("claim.html", review=review, body=body, jsonld=Markup(data))


def _csv(header: Sequence[str], rows: Iterable[Sequence[Any]]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue()


def overview_csv(o: Mapping[str, Any]) -> str:
    return _csv(["day", "conversations", "messages", "users", "returning_users"],
                [(d["day"], d["conversations"], d["messages"], d["users"], d["returning"]) for d in o["by_day"]])


def myths_csv(o: Mapping[str, Any]) -> str:
    return _csv(["myth", "distinct_askers", "messages", "per_day"],
                [(m["myth"], m["askers"], m["messages"], " ".join(map(str, m["series"]))) for m in o["myths"]])


def clusters_csv(clusters: Iterable[Mapping[str, Any]]) -> str:
    return _csv(["cluster", "distinct_askers", "messages", "first_seen", "last_seen", "channels", "languages",
                 "nearest_myth", "rising", "label", "text"],
                [(c["id"], c["askers"], c["messages"], when(c["first"]), when(c["last"]), " ".join(c["channels"]),
                  " ".join(c["langs"]), c["nearest"] or "", "yes" if c["rising"] else "",
                  (c["label"] or {}).get("label", ""), c["text"] or "") for c in clusters])


def candidates_yaml(examples: Mapping[str, List[str]]) -> str:
    """Candidate NLU examples per myth, in Rasa's NLU format, for an editor to review."""
    lines = ['version: "3.1"', "# candidates from the desk's labelled clusters: review before adding", "nlu:"]
    for myth, texts in sorted(examples.items()):
        lines += [f"- intent: myth_{myth}", "  examples: |"]
        lines += [f"    - {' '.join(t.split())}" for t in texts]
    return "\n".join(lines) + "\n"
