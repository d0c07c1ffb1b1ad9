import threading

import numpy as np
import pytest

from service.container import build_services
from service.errors import IndexNotReadyError, InvalidRequestError
from service.retrieval import hybrid


@pytest.fixture
def retriever(store_settings, embedder):
    services = build_services(store_settings, embedder=embedder)
    services.indexer.ingest()
    services.retriever.load()
    return services.retriever


def test_results_are_ranked_and_bounded(retriever):
    hits = retriever.search("speed versus efficiency in a winner-take-all market", 3)
    assert len(hits) == 3
    assert [h.score for h in hits] == sorted((h.score for h in hits), reverse=True)
    assert hits[0].chunk.section == "Speed"


def test_filters_by_document_and_current(retriever):
    assert {h.chunk.document_id for h in retriever.search("GPUs", 10, document="jevons")} == {"jevons"}
    hits = retriever.search("regulation", 10, current="sovereignty")
    assert hits and {h.chunk.current for h in hits} == {"Sovereignty"}


def test_unknown_filters_list_the_valid_values(retriever):
    with pytest.raises(InvalidRequestError) as error:
        retriever.search("x", 3, document="nope")
    assert "jevons" in error.value.details["valid_documents"]
    with pytest.raises(InvalidRequestError) as error:
        retriever.search("x", 3, current="Atlantis")
    assert error.value.details["valid_currents"] == ["Sovereignty"] and "Sovereignty" in error.value.message


def test_naming_a_document_steers_to_it(retriever):
    hits = retriever.search("what does the Jevons essay say?", 1)
    assert hits[0].chunk.document_id == "jevons"


@pytest.mark.parametrize(
    ("reference", "document"),
    [
        ("the Jevons essay", "jevons-paradox-in-ai"),
        ("the podcast", "last-week-in-ai-arms-race"),  # by its publication, "Last Week in AI (podcast digest)"
        ("the Sovereignty current", "scenario-planning-04-sovereignty"),
        ("the booklet", "scenario-planning-00-introduction"),  # chapters of one work: named by the first
        ("the innovator's dilemma piece", "innovators-dilemma-in-ai"),
        ("the Last Week in AI episode", "last-week-in-ai-arms-race"),
        ("the scenario planning booklet", "scenario-planning-00-introduction"),  # every chapter's file name
        ("the platform paradox", "platform-paradox"),
        ("the essay", None),  # one of many
        ("the paradox essay", None),  # three essays' titles say paradox
        ("FourWeekMBA", None),  # the publication of eight essays
        ("Meta", None),  # a subject, not a document, though one title names it
        ("OpenAI", None),
        ("this", None),
        ("the quantum computing essay", None),
    ],
)
def test_a_document_is_called_by_its_names_or_its_kind_when_that_is_unambiguous(corpus_services, reference, document):
    assert corpus_services.retriever.document_called(reference) == document


BOOKLET = tuple(
    f"scenario-planning-{n:02d}-{name}"
    for n, name in enumerate(
        [
            "introduction",
            "continued-scaling",
            "efficiency-revolution",
            "financial-correction",
            "sovereignty",
            "from-lab-to-production",
            "hours-and-dollars",
            "how-the-currents-interact",
            "how-to-use-this-in-practice",
            "trigger-drill",
        ]
    )
)


@pytest.mark.parametrize(
    ("reference", "documents"),
    [
        ("the booklet", BOOKLET),  # the work: every chapter, where document_called gives the first
        ("the scenario planning booklet", BOOKLET),
        ("the booklet's introduction", ("scenario-planning-00-introduction",)),  # a part of it
        ("the chapter", ("scenario-planning-00-introduction",)),
        ("the Sovereignty chapter", ("scenario-planning-04-sovereignty",)),
        ("the podcast", ("last-week-in-ai-arms-race",)),
        ("the essay", ()),
    ],
)
def test_a_work_of_chapters_called_as_a_whole_is_every_chapter(corpus_services, reference, documents):
    assert corpus_services.retriever.documents_called(reference) == documents


def test_a_search_may_be_kept_to_several_documents(corpus_services):
    kept = ("scenario-planning-04-sovereignty", "scenario-planning-02-efficiency-revolution")
    hits = corpus_services.retriever.retrieve("Mistral", 5, document=kept).hits
    assert len(hits) == 5 and {h.chunk.document_id for h in hits} <= set(kept)


@pytest.mark.parametrize(
    ("document", "heading"),
    [
        ("platform-paradox", "Conclusion: The Platform Prisoner"),  # its scenarios come before it
        ("jevons-paradox-in-ai", "Conclusion: The Efficiency Trap"),
        ("ai-flywheel-paradox", "The Winner Will Be Whoever Closes This Gap"),  # no conclusion: the last section
        # a chapter: the last section before its trigger list and its role and data lines
        ("scenario-planning-04-sovereignty", "What this means for EU enterprises"),
        ("scenario-planning-03-financial-correction", "Why the parallel breaks — and why it might not matter"),
        ("scenario-planning-08-how-to-use-this-in-practice", "What I think"),
    ],
)
def test_a_document_closes_with_its_conclusion_or_else_its_last_section(corpus_services, document, heading):
    closing = corpus_services.retriever.closing_section(document)
    assert closing and {c.section_path.split(" › ")[0] for c in closing} == {heading}
    assert all(c.document_id == document for c in closing)
    assert [c.ordinal for c in closing] == sorted(c.ordinal for c in closing)


@pytest.mark.parametrize(
    "document",
    [
        "scenario-planning-00-introduction",  # one section: nothing it closes with besides what it is
        "last-week-in-ai-arms-race",  # its last section is a list of action items, no conclusion
        "defensibility-power-in-the-ai-stack",  # ... a box about its series, headed by its title
        "no-such-document",
    ],
)
def test_a_document_of_one_section_or_ending_in_a_list_has_no_closing_section(corpus_services, document):
    assert corpus_services.retriever.closing_section(document) == []


def test_search_before_load_says_the_index_is_not_ready(store_settings, embedder):
    services = build_services(store_settings, embedder=embedder)
    with pytest.raises(IndexNotReadyError):
        services.retriever.search("anything", 1)
    with pytest.raises(IndexNotReadyError, match="ingest"):
        services.retriever.load()


def test_names_spelled_out_name_their_document_and_question_words_name_none(small_corpus, tmp_path, embedder):
    from service.settings import Settings
    from tests.conftest import write_doc

    write_doc(
        small_corpus,
        "practice.md",
        "How to Use This in Practice",
        "## Cadence\n\nReview the trigger list every quarter.\n",
    )
    services = build_services(Settings(corpus_dir=small_corpus, data_dir=tmp_path / "data"), embedder=embedder)
    services.indexer.ingest()
    services.retriever.load()
    # A one-word title scores low in BM25, but given in full it names its document.
    assert services.retriever.named_documents("What are the trigger signals of the sovereignty current?")[:1] == [
        "sovereignty"
    ]
    # "How" and "what" are how questions start, not the title "How to Use This in Practice".
    assert "practice" not in services.retriever.named_documents("How did usage respond when prices fell?")
    assert services.retriever.named_documents("What does How to Use This in Practice say about cadence?")[:1] == [
        "practice"
    ]


# --- Dense scoring: in memory (numpy) and in Chroma (ANN) --------------------------------------------------

QUERIES = [
    "speed versus efficiency in a winner-take-all market",
    "which companies face extinction?",
    "GPUs and the Jevons paradox",
    "regulation and sovereignty",
    "what does the Jevons essay say?",
]


#: How far a score from memory may be from the same score through Chroma. Similarities differ by float32
#: rounding only (about 1e-7: hnswlib sums the 384 products of a cosine in another order than numpy does);
#: standardising divides them by the spread of the scores (about 0.1), so fused scores differ by about 1e-6
#: (2.3e-6 at most over the golden questions). Ten times that is still far below any gap that ranks.
SCORE_ATOL = 1e-5


def chroma_twin(retriever, store, embedder, **options):
    """A retriever like `retriever` (same weights, reranker and query adapter) that searches through Chroma's ANN index."""
    from service.retrieval.hybrid import HybridRetriever

    options = {"reranker": retriever.reranker, "adapter": retriever.adapter, **options}
    twin = HybridRetriever(store, embedder, retriever.weights, in_memory_max_vectors=0, **options)
    twin.load()
    return twin


def ingested(store_settings, embedder):
    services = build_services(store_settings, embedder=embedder)
    services.indexer.ingest()
    services.retriever.load()
    return services


def both_paths(store_settings, embedder):
    """One index, served twice: from memory (the default for a small index) and from Chroma's ANN index."""
    services = ingested(store_settings, embedder)
    return services.retriever, chroma_twin(services.retriever, services.store, embedder)


def assert_same_results(a, b, context) -> None:
    """Same passages in the same order, scores within SCORE_ATOL."""
    assert [h.chunk.id for h in a.hits] == [h.chunk.id for h in b.hits], context
    np.testing.assert_allclose(
        [h.score for h in a.hits], [h.score for h in b.hits], rtol=0, atol=SCORE_ATOL, err_msg=str(context)
    )


def test_in_memory_and_chroma_scoring_agree_on_a_small_index(store_settings, embedder):
    memory, chroma = both_paths(store_settings, embedder)
    assert memory.in_memory and not chroma.in_memory
    for query in QUERIES:
        vector = embedder.embed([query])[0]
        for filters in (
            {},
            {"document": "jevons"},
            {"document": ("jevons", "sovereignty")},
            {"current": "sovereignty"},
        ):
            a = memory.retrieve(query, 10, vector=vector, **filters)
            b = chroma.retrieve(query, 10, vector=vector, **filters)
            assert a.hits, (query, filters)
            assert_same_results(a, b, (query, filters))
            for field in ("best_chunk_similarity", "best_sentence_similarity", "best_lexical_score"):
                assert getattr(a, field) == pytest.approx(getattr(b, field), abs=1e-6), field


def test_exact_ties_rank_in_index_order_on_both_paths(store_settings, embedder):
    """Two documents with the same title and text tie on every signal: both paths list them in index order
    (document id, then position in the document), whatever order the store returns them in."""
    from service.retrieval.hybrid import HybridRetriever
    from tests.conftest import write_doc

    body = "# Twin Notes\n\nIdentical twins share one paragraph about tokens, prices and demand.\n"
    for name in ("twin-b.md", "twin-a.md"):
        write_doc(store_settings.corpus_dir, name, "Twin Notes", body, kind="essay")
    services = ingested(store_settings, embedder)
    memory, chroma = services.retriever, chroma_twin(services.retriever, services.store, embedder)
    fused_memory = HybridRetriever(services.store, embedder, memory.weights, reranker=None, adapter=memory.adapter)
    fused_memory.load()
    fused_chroma = chroma_twin(memory, services.store, embedder, reranker=None)
    query = "identical twins share a paragraph about tokens"
    vector = embedder.embed([query])[0]
    for retriever in (memory, chroma, fused_memory, fused_chroma):
        hits = retriever.retrieve(query, 3, vector=vector).hits
        assert [h.chunk.document_id for h in hits[:2]] == ["twin-a", "twin-b"], (
            retriever.in_memory,
            retriever.reranker,
        )
        if (
            retriever.reranker is None
        ):  # the fused scores tie exactly (the reranker sees the rank, so it breaks the tie)
            assert hits[0].score == hits[1].score
    assert fused_memory.in_memory and not fused_chroma.in_memory
    assert_same_results(memory.retrieve(query, 5, vector=vector), chroma.retrieve(query, 5, vector=vector), query)
    assert_same_results(
        fused_memory.retrieve(query, 5, vector=vector), fused_chroma.retrieve(query, 5, vector=vector), query
    )


def test_sentence_vectors_come_from_memory_as_from_the_store(store_settings, embedder):
    memory, chroma = both_paths(store_settings, embedder)
    from_memory, from_store = memory.sentence_vectors_of(memory.chunks), chroma.sentence_vectors_of(chroma.chunks)
    assert from_memory.keys() == from_store.keys() and any(from_memory.values())
    for chunk_id, sentences in from_memory.items():
        assert [s for s, _ in sentences] == [s for s, _ in from_store[chunk_id]]
        for (_, a), (_, b) in zip(sentences, from_store[chunk_id], strict=True):
            np.testing.assert_allclose(a, b, atol=1e-6)


def test_the_index_is_held_in_memory_only_up_to_the_setting(store_settings, embedder):
    from service.retrieval.hybrid import HybridRetriever

    services = build_services(store_settings, embedder=embedder)
    services.indexer.ingest()
    active = services.store.active()
    size = active.chunk_count + services.store.collection(active.sentence_collection).count()
    fits, too_large = (
        HybridRetriever(services.store, embedder, in_memory_max_vectors=size),
        HybridRetriever(services.store, embedder, in_memory_max_vectors=size - 1),
    )
    fits.load()
    too_large.load()
    assert fits.in_memory and not too_large.in_memory
    assert fits.search("which companies face extinction?", 1)[0].chunk.section == "The Death Zone"
    assert too_large.search("which companies face extinction?", 1)[0].chunk.section == "The Death Zone"


def test_both_paths_give_the_same_top5_on_the_golden_questions(corpus_services, tmp_path):
    """The real corpus: in-memory scoring ranks as Chroma does, given the same neighbours. Chroma's HNSW search
    is approximate (ef_search 100 misses about 1.5% of a query's 100 nearest sentences), so the Chroma side
    reads a copy of the index (same records, same vectors) searched exhaustively: any difference left is the code's."""
    from service.evals.golden import GOLDEN_DIR, load_cases
    from service.retrieval.hybrid import HybridRetriever
    from service.retrieval.store import ChromaStore, make_client

    memory = corpus_services.retriever
    assert memory.in_memory
    active = corpus_services.store.active()
    # A copy in new collections whose search breadth covers every record. (Copying the files would keep the
    # collection ids, and Chroma caches an open index by id; raising ef_search later reaches no open index.)
    client = make_client(tmp_path, None)
    copy = ChromaStore(client, corpus_services.settings.collection_prefix)
    chunks, chunk_vectors = ChromaStore.read_chunks_with_embeddings(corpus_services.store.collection(active.collection))
    sentence_ids, sentence_texts, sentence_vectors = ChromaStore.read_records(
        corpus_services.store.collection(active.sentence_collection)
    )
    exhaustive = {"hnsw:space": "cosine", "hnsw:search_ef": len(chunks) + len(sentence_ids)}
    chunk_collection = client.create_collection(active.collection, embedding_function=None, metadata=exhaustive)
    sentence_collection = client.create_collection(
        active.sentence_collection, embedding_function=None, metadata=exhaustive
    )
    ChromaStore.add_chunks(chunk_collection, chunks, chunk_vectors)
    ChromaStore.add_sentences(sentence_collection, sentence_ids, sentence_texts, sentence_vectors)
    copy.activate(active)
    chroma = chroma_twin(memory, copy, corpus_services.embedder)
    assert not chroma.in_memory and chroma.active == memory.active
    # The fused order alone as well: reranked scores come from a tree model, equal as long as no feature
    # crosses a split, so they would hide a drift of the dense scores that the fused scores show.
    fused_memory = HybridRetriever(
        corpus_services.store, corpus_services.embedder, memory.weights, reranker=None, adapter=memory.adapter
    )
    fused_memory.load()
    fused_chroma = chroma_twin(memory, copy, corpus_services.embedder, reranker=None)
    assert fused_memory.in_memory
    questions = [c.question for c in load_cases(GOLDEN_DIR / "retrieval.yaml")]
    assert len(questions) >= 60
    for question, vector in zip(questions, corpus_services.embedder.embed(questions), strict=True):
        assert_same_results(
            memory.retrieve(question, 5, vector=vector), chroma.retrieve(question, 5, vector=vector), question
        )
        assert_same_results(
            fused_memory.retrieve(question, 5, vector=vector),
            fused_chroma.retrieve(question, 5, vector=vector),
            question,
        )


def test_query_tokens_are_bm25s_tokens():
    from service.evals.golden import GOLDEN_DIR, load_cases
    from service.retrieval.hybrid import _query_tokens, _tokens

    queries = [c.question for c in load_cases(GOLDEN_DIR / "retrieval.yaml")]
    queries += ["", "a", "The THE the", "don't stop: über-café's 2024 GPUs", "naïve résumé", "snake_case and 3.14"]
    for query in queries:
        assert _query_tokens(query) == _tokens([query])[0], query


def test_an_acronyms_plural_is_searched_as_its_singular():
    from service.retrieval.hybrid import _query_tokens, _tokens

    # the corpus writes "GPUs" 27 times and "GPU" 21: either finds both
    assert _query_tokens("how many gpus") == _query_tokens("how many GPU") == _tokens(["how many GPUs"])[0]


class HeldModel:
    """The session's model, whose calls wait while `open` is clear: queries queue behind a call under way, as
    they do behind a real model call (the session's model answers texts it has seen in microseconds)."""

    def __init__(self, model):
        self.model, self.name, self.threads = model, model.name, model.threads
        self.open = threading.Event()
        self.open.set()

    def replica(self) -> "HeldModel":
        held = HeldModel(self.model.replica())
        held.open = self.open
        return held

    def embed(self, texts, **kwargs):
        assert self.open.wait(timeout=30)
        return self.model.embed(texts, **kwargs)


def test_asearch_ranks_as_search_on_both_paths_and_concurrently(store_settings, embedder):
    import asyncio

    model = HeldModel(embedder)
    memory, chroma = both_paths(store_settings, model)

    # Twenty different texts: a text asked again would come from the query cache instead of the model.
    asked = [f"{q} ({n})" for n in range(4) for q in QUERIES]

    async def all_at_once(retriever):
        model.open.clear()
        searches = [asyncio.ensure_future(retriever.asearch(q, 3)) for q in asked]
        await asyncio.sleep(0)  # every search has queued its query (or is in the held call)
        model.open.set()
        return await asyncio.gather(*searches)

    for retriever in (memory, chroma):
        gathered = asyncio.run(all_at_once(retriever))  # first: the search below finds these vectors cached
        expected = [[h.chunk.id for h in retriever.search(q, 3)] for q in asked]
        assert [[h.chunk.id for h in hits] for hits in gathered] == expected
    with pytest.raises(InvalidRequestError):
        asyncio.run(memory.asearch("x", 3, document="nope"))
    assert memory.query_batcher.batches < memory.query_batcher.queries  # the gathered queries shared model calls


@pytest.mark.parametrize("store_settings", ["embedded"], indirect=True)
def test_searches_due_for_a_pointer_read_share_one_read_off_the_event_loop(store_settings, embedder):
    import asyncio
    import threading

    import httpx

    from service.errors import StoreUnavailableError

    services = ingested(store_settings, embedder)
    retriever, store = services.retriever, services.store
    retriever.pointer_check_s = 3600
    read, reads, failing = store.active, [], []

    def counted_read():
        reads.append(threading.get_ident())
        if failing:
            raise httpx.ConnectError("store down")
        return read()

    store.active = counted_read

    async def all_at_once():
        loop_thread = threading.get_ident()
        hits = await asyncio.gather(*(retriever.asearch(q, 3) for q in QUERIES * 4))
        return loop_thread, hits

    store.unreachable = True  # a failed /readyz: the next searches must read the pointer again
    loop_thread, hits = asyncio.run(all_at_once())
    assert all(hits) and len(reads) == 1 and reads[0] != loop_thread
    assert store.unreachable is False
    asyncio.run(all_at_once())
    assert len(reads) == 1  # read again only when due

    failing.append(True)
    store.unreachable = True
    with pytest.raises(StoreUnavailableError):
        asyncio.run(retriever.asearch("which companies face extinction?", 3))


def test_a_reference_to_a_document_by_a_word_of_its_name_names_it(corpus_services):
    named = corpus_services.retriever.named_documents
    # one distinctive word and a kind: too little BM25 over the names alone, but a reference all the same
    assert named("What does the flywheel essay say about prompting?") == ["ai-flywheel-paradox"]
    assert named("what does the jevons essay say about coal?") == ["jevons-paradox-in-ai"]
    assert named("what does the podcast say about Nvidia?") == ["last-week-in-ai-arms-race"]  # where it appeared
    # a kind alone names no chapter of the booklet; a word that is no name names nothing
    assert named("What routine does the booklet ask readers to commit to?") == []
    assert named("What does the GDPR essay say?") == []


@pytest.mark.parametrize(
    ("question", "named"),
    [
        # the current's name inside the essay's title names the essay only ...
        ("What is the monetization efficiency revolution?", ["ai-monetization-efficiency-revolution"]),
        # ... but a word beside it that the title does not put there, or punctuation, leaves it the current's
        ("Is the Efficiency Revolution AI's biggest risk?", ["scenario-planning-02-efficiency-revolution"]),
        ("Explain the Efficiency Revolution. AI labs should worry?", ["scenario-planning-02-efficiency-revolution"]),
        ("What does the AI Efficiency Revolution current predict?", ["scenario-planning-02-efficiency-revolution"]),
        # both spelled: both named, in either order
        (
            "How does the AI Monetization Efficiency Revolution relate to the Efficiency Revolution current?",
            ["ai-monetization-efficiency-revolution", "scenario-planning-02-efficiency-revolution"],
        ),
        (
            "Compare the monetization efficiency revolution essay with the Efficiency Revolution chapter",
            ["ai-monetization-efficiency-revolution", "scenario-planning-02-efficiency-revolution"],
        ),
    ],
)
def test_a_name_inside_a_longer_title_names_only_the_longer_titles_document(corpus_services, question, named):
    found = corpus_services.retriever.named_documents(question)
    assert found[0] == named[0] and set(named) <= set(found)


@pytest.mark.parametrize(
    ("question", "named"),
    [
        # the current's name spelled whole: the essay whose longer title holds those words is not named too
        ("Is the Efficiency Revolution AI's biggest risk?", ["scenario-planning-02-efficiency-revolution"]),
        ("What does the Efficiency Revolution mean for startups?", ["scenario-planning-02-efficiency-revolution"]),
        ("the efficiency revolution current", ["scenario-planning-02-efficiency-revolution"]),
        # ... unless a word of the essay's own ("monetization") or its kind ("essay") points at it as well
        (
            "Is the Efficiency Revolution the AI monetization story?",
            ["scenario-planning-02-efficiency-revolution", "ai-monetization-efficiency-revolution"],
        ),
        (
            "the Efficiency Revolution essay",
            ["scenario-planning-02-efficiency-revolution", "ai-monetization-efficiency-revolution"],
        ),
    ],
)
def test_a_name_spelled_whole_does_not_also_name_a_title_that_merely_holds_its_words(corpus_services, question, named):
    assert corpus_services.retriever.named_documents(question) == named


def test_a_capitalised_compound_of_stop_words_is_a_name_no_document_has(corpus_services):
    retriever = corpus_services.retriever
    assert retriever.document_called("the podcast") == "last-week-in-ai-arms-race"
    assert retriever.document_called("the All-In podcast") is None


def test_the_document_borrowing_another_ones_spelled_name_gets_no_name_affinity(corpus_services):
    retriever = corpus_services.retriever
    question = "Who wins in the Efficiency Revolution?"
    assert retriever.spelled_documents(question) == ["scenario-planning-02-efficiency-revolution"]
    # the current's name inside the essay's longer title spells neither in full
    assert retriever.spelled_documents("What is the monetization efficiency revolution?") == []
    state = retriever._require()
    tokens = hybrid._query_tokens(question)
    affinity = state.document_affinity(tokens, question)
    essay = [i for i, c in enumerate(state.chunks) if c.document_id == "ai-monetization-efficiency-revolution"]
    current = [i for i, c in enumerate(state.chunks) if c.document_id == "scenario-planning-02-efficiency-revolution"]
    assert affinity[essay].max() == 0.0 and affinity[current].max() == 1.0
    assert state.document_affinity(tokens)[essay].max() > 0.0  # without the query: BM25 over the names alone


def test_documents_named_together_in_a_plural_reference_are_each_named(corpus_services):
    named = corpus_services.retriever.named_documents
    assert set(named("compare the Jevons and flywheel essays")) == {"jevons-paradox-in-ai", "ai-flywheel-paradox"}
    assert set(named("in the Sovereignty and Financial Correction chapters, what are the triggers?")) == {
        "scenario-planning-04-sovereignty",
        "scenario-planning-03-financial-correction",
    }


@pytest.mark.parametrize(
    "question",
    [
        "Is Meta currently winning the AI race?",  # "current" inside a word
        "What is Meta's current stance on open-source models?",  # an adjective, no "the"
        "Should enterprises postpone GPU purchases?",
        "Does Anthropic post higher revenue per user than OpenAI?",  # a verb
    ],
)
def test_a_kind_word_that_is_no_reference_names_nothing(corpus_services, question):
    assert corpus_services.retriever.named_documents(question) == []


@pytest.mark.parametrize(
    ("question", "named"),
    [
        ("In Jevons essay, what is the rebound effect?", ["jevons-paradox-in-ai"]),  # no "the"
        ("Jevons essay: what does it say about coal?", ["jevons-paradox-in-ai"]),  # at the start
        ("What does your Jevons essay say about coal?", ["jevons-paradox-in-ai"]),
        ("Compare Jevons essay with flywheel essay", ["jevons-paradox-in-ai", "ai-flywheel-paradox"]),
        ("What is the Monetization-Efficiency Revolution?", ["ai-monetization-efficiency-revolution"]),  # hyphenated
    ],
)
def test_a_reference_without_the_or_hyphenated_names_its_document(corpus_services, question, named):
    assert corpus_services.retriever.named_documents(question) == named


def test_the_currents_of_documents_are_those_of_the_chapters_among_them(corpus_services):
    retriever = corpus_services.retriever
    chapters = [
        "scenario-planning-02-efficiency-revolution",
        "scenario-planning-04-sovereignty",
        "jevons-paradox-in-ai",
    ]
    assert retriever.currents_of(chapters) == {"Efficiency Revolution", "Sovereignty"}
    assert retriever.currents_of(["jevons-paradox-in-ai"]) == set()
