"""corpus/ keeps the authors' words: every document is a verbatim slice of its source."""

import re

import pytest

from service.corpus.documents import load_corpus
from service.settings import PROJECT_ROOT
from tests.corpus.source_coverage import SOURCES_DIR, check


@pytest.mark.skipif(not SOURCES_DIR.is_dir(), reason="../shared/corpus-sources is not beside this checkout")
def test_corpus_covers_its_sources_verbatim():
    assert check() == []


def test_scrape_glued_headings_were_split():
    bodies = "\n".join(d.body for d in load_corpus(PROJECT_ROOT / "corpus"))
    assert "Proof of conceptTribe" not in bodies
    assert re.search(r"^- Family \(1-9 employees\): Proof of concept$", bodies, re.MULTILINE)
    assert re.search(r"^- Tribe \(10-99\): Product-market fit$", bodies, re.MULTILINE)
