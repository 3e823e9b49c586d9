"""The desk over HTTP: token, login cookie, form token, pages, exports, and no personal
data in anything it serves. A plain Sanic server registers the channels the way `rasa
run` does (tests/desk/serve.py); the tracker store is the scenario of conftest.py."""
from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
import requests

from tests.desk.conftest import PHONE_A, PHONE_B, save, scenario
from tests.desk.servers import DeskServer

TOKEN = "desk-test-token-1234"
PAGES = ["/desk/", "/desk/?days=7", "/desk/?days=90", "/desk/queue", "/desk/queue?days=90", "/desk/review?days=90"]
EXPORTS = ["/desk/export/overview.csv", "/desk/export/myths.csv?days=90", "/desk/export/clusters.csv?days=90",
           "/desk/export/candidates.yml"]
SENDERS = [PHONE_A, PHONE_B, "web-abc123", "telegram-999"]
FORBIDDEN = [re.compile(p) for p in (r"\+\d{6,}", r"\d{7,}", r"[\w.+-]+@[\w-]+\.[a-z]{2,}", r"7700",
                                     r"4111", r"4915")]


def personal_data(text: str) -> list:
    found = [s for s in SENDERS if s in text]
    return found + [m.group(0) for p in FORBIDDEN for m in p.finditer(text)]


@pytest.fixture(scope="module")
def tracker_db(tmp_path_factory) -> Path:
    db = tmp_path_factory.mktemp("desk") / "rasa.db"
    save(db, scenario())
    return db


@pytest.fixture(scope="module")
def desk(tracker_db):
    with DeskServer(tracker_db.parent, tracker_db, {"DESK_TOKEN": TOKEN, "DESK_SECRET": "s3"}) as server:
        yield server


def bearer(token: str = TOKEN) -> dict:
    return {"Authorization": f"Bearer {token}"}


def login(desk, editor: str = "Ann") -> requests.Session:
    s = requests.Session()
    r = s.post(desk.url + "/desk/login", data={"editor": editor, "token": TOKEN}, allow_redirects=False, timeout=30)
    assert r.status_code == 303
    return s


@pytest.mark.parametrize("path", PAGES + EXPORTS)
def test_401_without_the_token(desk, path):
    assert requests.get(desk.url + path, timeout=30).status_code == 401
    assert requests.get(desk.url + path, headers=bearer("wrong"), timeout=30).status_code == 401
    sep = "&" if "?" in path else "?"
    assert requests.get(f"{desk.url}{path}{sep}token={TOKEN}", timeout=30).status_code == 401  # never in a URL


def test_a_browser_without_a_session_gets_the_login_form(desk):
    r = requests.get(desk.url + "/desk/", headers={"Accept": "text/html"}, timeout=30)
    assert r.status_code == 401 and 'name="token"' in r.text


def test_pages_with_the_token_have_no_script_and_a_strict_policy(desk):
    for path in PAGES:
        r = requests.get(desk.url + path, headers=bearer(), timeout=30)
        assert r.status_code == 200, path
        assert "<script" not in r.text.lower()
        csp = r.headers["Content-Security-Policy"]
        assert "default-src 'none'" in csp and "script-src" not in csp
        assert r.headers["Cache-Control"] == "no-store"


def test_login_sets_a_strict_http_only_cookie(desk):
    r = requests.post(desk.url + "/desk/login", data={"editor": "Ann", "token": TOKEN}, allow_redirects=False,
                      timeout=30)
    cookie = r.headers["Set-Cookie"]
    assert r.status_code == 303 and "HttpOnly" in cookie and "SameSite=Strict" in cookie and "Path=/desk" in cookie
    assert TOKEN not in cookie
    bad = requests.post(desk.url + "/desk/login", data={"editor": "Ann", "token": "nope"}, timeout=30)
    assert bad.status_code == 401 and "Set-Cookie" not in bad.headers


def test_a_label_needs_the_form_token_and_is_kept_with_its_editor(desk):
    s = login(desk, "Ann")
    page = s.get(desk.url + "/desk/queue?days=90", timeout=30).text
    cluster = re.search(r'action="/desk/queue/(\d+)\?days=90"', page).group(1)
    csrf = re.search(r'name="csrf" value="([0-9a-f]+)"', page).group(1)
    url = f"{desk.url}/desk/queue/{cluster}?days=90"
    assert s.post(url, data={"label": "spam"}, timeout=30).status_code == 403
    assert s.post(url, data={"label": "spam", "csrf": "0" * 32}, timeout=30).status_code == 403
    r = s.post(url, data={"label": "myth", "myth": "nato_aggressive", "csrf": csrf}, allow_redirects=False, timeout=30)
    assert r.status_code == 303
    after = s.get(desk.url + "/desk/queue?days=90", timeout=30).text
    assert "belongs to a myth: nato_aggressive" in after and "by Ann" in after
    bad = s.post(url, data={"label": "myth", "myth": "invented", "csrf": csrf}, timeout=30)
    assert bad.status_code == 400 and "Not saved" in bad.text
    exported = requests.get(desk.url + "/desk/export/candidates.yml", headers=bearer(), timeout=30).text
    assert "intent: myth_nato_aggressive" in exported and "invade Belarus" in exported


def test_logout_ends_the_session(desk):
    s = login(desk)
    csrf = re.search(r'name="csrf" value="([0-9a-f]+)"', s.get(desk.url + "/desk/", timeout=30).text).group(1)
    s.post(desk.url + "/desk/logout", data={"csrf": csrf}, timeout=30)
    assert s.get(desk.url + "/desk/", timeout=30).status_code == 401


def test_counts_clusters_and_review_on_the_pages(desk):
    overview = requests.get(desk.url + "/desk/?days=90", headers=bearer(), timeout=30).text
    assert "<b>9</b><span>messages</span>" in overview and "<b>4</b><span>people</span>" in overview
    queue = requests.get(desk.url + "/desk/queue?days=90", headers=bearer(), timeout=30).text
    assert "Will NATO invade Belarus next?" in queue and queue.count("hidden until two people send it") == 2
    review = requests.get(desk.url + "/desk/review?days=90", headers=bearer(), timeout=30).text
    assert "said the answer missed" in review and "close second intent" in review
    csv = requests.get(desk.url + "/desk/export/clusters.csv?days=90", headers=bearer(), timeout=30).text
    assert csv.splitlines()[0].startswith("cluster,distinct_askers") and len(csv.splitlines()) == 4


def test_nothing_served_holds_personal_data(desk):
    bodies = {p: requests.get(desk.url + p, headers=bearer(), timeout=30).text for p in PAGES + EXPORTS}
    bodies["/claimreview.json"] = requests.get(desk.url + "/claimreview.json", timeout=30).text
    bodies["/claims/encirclement"] = requests.get(desk.url + "/claims/encirclement", timeout=30).text
    assert "[phone]" not in "".join(bodies.values())  # the out-of-scope message has one sender: hidden
    for path, body in bodies.items():
        assert personal_data(body) == [], path
    assert personal_data(f"call {PHONE_A} or jo@example.org") != []  # the search itself finds them


def test_claimreview_feed_is_public(desk):
    r = requests.get(desk.url + "/claimreview.json", timeout=30)
    assert r.status_code == 200 and r.headers["Content-Type"].startswith("application/ld+json")
    assert len(json.loads(r.text)["@graph"]) == 9
    assert requests.get(desk.url + "/claims/no_such_myth", timeout=30).status_code == 404


def test_no_desk_at_all_without_desk_token(tracker_db):
    with DeskServer(tracker_db.parent, tracker_db, {"DESK_TOKEN": None, "DESK_SECRET": None}) as server:
        for path in ["/desk/", "/desk/login", "/desk/queue", "/desk/desk.css"]:
            assert requests.get(server.url + path, headers=bearer(""), timeout=30).status_code == 404, path
        assert requests.post(server.url + "/desk/login", data={"token": ""}, timeout=30).status_code == 404
        assert requests.get(server.url + "/claimreview.json", timeout=30).status_code == 200
