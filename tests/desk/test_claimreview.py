"""ClaimReview: the properties Google documents as required, one review per myth, and a
validation error that names file, entry and field."""
from __future__ import annotations

import json
import re

import pytest
import yaml

from bot.desk import pages
from bot.desk.claimreview import REQUIRED, body, claim_review, feed, load_reviews, warnings
from bot.knowledge import KnowledgeError, knowledge_dir

BASE = "https://factcheck.example"


@pytest.fixture(scope="module")
def reviews(kb):
    return load_reviews(knowledge_dir() / "claimreview.yml", kb)


def test_feed_has_one_complete_review_per_myth(kb, reviews):
    doc = feed(kb, reviews, BASE)
    assert doc["@context"] == "https://schema.org"
    items = doc["@graph"]
    assert len(items) == len(kb.myths) and len({i["url"] for i in items}) == len(items)
    for item in items:
        assert item["@type"] == "ClaimReview"
        assert all(item.get(k) for k in REQUIRED), item["url"]
        assert item["reviewRating"]["@type"] == "Rating" and item["reviewRating"]["alternateName"]
        assert item["author"]["@type"] == "Organization" and item["author"]["name"]
        assert item["itemReviewed"]["@type"] == "Claim"
        assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", item["datePublished"])
        assert item["url"].startswith(BASE + "/claims/")
        assert warnings(item) == []


def test_review_comes_from_the_myth_with_its_dates_and_sources(kb, reviews):
    review = claim_review(kb, reviews, "encirclement", BASE)
    assert review["claimReviewed"] == kb.myths["encirclement"].claim
    assert "11%" in review["reviewBody"] and "(as of July 2024" in review["reviewBody"] and "[1]" in review["reviewBody"]
    assert review["citation"][0]["url"] == kb.sources["nato_2024"].url


def test_the_public_page_carries_exactly_its_review(kb, reviews):
    review = claim_review(kb, reviews, "encirclement", BASE)
    html = pages.claim_page(review, body(kb, kb.myths["encirclement"]))
    blocks = re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    assert len(blocks) == 1 and json.loads(blocks[0]) == review
    assert "https://www.nato.int/" in html


def test_errors_name_file_entry_and_field(kb, tmp_path):
    data = yaml.safe_load((knowledge_dir() / "claimreview.yml").read_text())
    del data["reviews"]["encirclement"]
    data["reviews"]["nato_at_war"]["published"] = "soon"
    data["reviews"]["invented"] = {"verdict": "Myth", "published": "2026-01-01"}
    path = tmp_path / "claimreview.yml"
    path.write_text(yaml.safe_dump(data))
    with pytest.raises(KnowledgeError) as error:
        load_reviews(path, kb)
    text = str(error.value)
    assert f"{path}: entry 'encirclement': field 'verdict'" in text
    assert "entry 'nato_at_war': field 'published'" in text and "entry 'invented'" in text


def test_a_long_claim_gets_a_warning():
    assert warnings({"claimReviewed": "x" * 80})
