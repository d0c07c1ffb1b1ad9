from dataclasses import replace

import pytest

from service.answering.coverage import (
    _ASKS_AMOUNT,
    CoverageJudge,
    FigureAsked,
    _name_near,
    _names_written,
    asks_present,
    company_to_advise,
    document_said,
    documents_called_in,
    figure_unstated,
    heading_about,
    implications_for_reader,
    is_word_query,
    off_topic,
    on_topic,
    reader_context,
    source_named,
    without_source,
)
from service.corpus.chunking import Chunk
from service.retrieval.aliases import Aliases
from service.text import content_words


def chunk(text: str) -> Chunk:
    return Chunk(
        id="d:1",
        document_id="d",
        document_title="Blitzscaling AI",
        section="The Death Zone",
        section_path="The Death Zone",
        text=text,
        ordinal=0,
        kind="essay",
        current=None,
    )


judge = CoverageJudge(
    [chunk("Meta’s $14.8 billion bet on 100,000 GPUs in 2025. OpenAI and Anthropic compete in the 19th round.")]
)


def test_the_share_of_words_the_corpus_uses_is_weighted_by_rarity():
    words = content_words("how big was the swing in the bet?")  # "swing": never used
    assert judge.known_share(content_words("Meta's GPUs")) == 1.0
    assert 0 < judge.known_share(words) < 1.0 and judge.known_share(content_words("a running shoe")) == 0.0


def test_a_name_written_once_counts_only_in_running_prose():
    names = _names_written(
        [
            chunk(
                "Elon Musk’s xAI deployed Colossus — a cluster of GPUs. Teams must prepare for Pain: it comes. "
                "The market sits Between Immediate Costs and gains. Microsoft targets Rainier at scale. "
                "Some days are rainier than others. Rivals include Anthropic and OpenAI, as Anthropic says."
            )
        ]
    )
    assert {"colossus", "anthrop"} <= names  # stems: once in prose; twice anywhere
    assert not {"pain", "immedi", "rainier"} & names  # before a colon; in a title-case run; written in lower case too


def test_named_things_the_corpus_never_mentions_are_unknown():
    assert judge.unknown_terms("What does Google DeepMind's AlphaFold do?") == ["Google", "DeepMind", "AlphaFold"]
    assert judge.unknown_terms("What did California's SB 1047 require?") == ["California", "SB", "1047"]


@pytest.mark.parametrize(
    ("question", "unknown"),
    [
        ("What should a CFO watch for Meta?", []),
        ("As a CTO, what should we take from OpenAI's round?", []),
        ("I'm the CIO: what does Meta's bet mean for us?", []),
        ("What does Meta's bet mean for CFOs?", []),
        ("What should CFOs watch for Meta?", []),
        ("What should a CFO ask Nvidia?", ["Nvidia"]),
        ("As VP of sales at a startup, what do corporate buyers pay Meta?", []),
        # who the question is about: still a name the corpus never mentions
        ("What did the CFO of Meta say?", ["CFO"]),
        ("Which CTO is quoted about Meta?", ["CTO"]),
        ("Should the CIO or the CTO own the 100,000 GPUs?", ["CIO", "CTO"]),
        ("Which VP of Meta left?", ["VP"]),
    ],
)
def test_a_job_title_is_unknown_unless_it_stands_as_the_asker(question, unknown):
    assert judge.unknown_terms(question) == unknown


def test_another_name_of_a_company_is_known_where_it_says_the_company():
    meta = CoverageJudge(
        judge_chunks := [chunk("Meta’s $14.8 billion bet on 100,000 GPUs.")],
        aliases=Aliases.of({"Meta": ["Facebook", "Zuckerberg"], "Microsoft": ["Satya Nadella", "Nadella"]}),
    )
    assert meta.unknown_terms("Why is Facebook's parent spending so much?") == []
    assert meta.unknown_terms("What did the Facebook parent release?") == []
    assert meta.unknown_terms("What does Nadella's company plan?") == []
    # the other thing itself, or the person: still names the corpus never mentions
    assert meta.unknown_terms("How does Facebook's news feed rank posts?") == ["Facebook"]
    assert meta.unknown_terms("What did Satya Nadella say about Meta?") == ["Satya", "Nadella"]
    assert CoverageJudge(judge_chunks).unknown_terms("Why is Facebook's parent spending?") == ["Facebook"]
    assert meta.owner_unnamed("Why is Facebook's parent spending so much?") is None
    assert meta.owner_unnamed("Why does Facebook's algorithm matter?") == "Facebook"


def test_an_adjective_of_a_place_the_corpus_names_is_known():
    places = CoverageJudge([chunk("Europe and China build sovereign clouds; Canada waits.")])
    assert places.unknown_terms("What does it mean for a European or a Chinese bank?") == []
    assert places.unknown_terms("And for Canadian and Danish banks?") == ["Danish"]


def test_a_company_the_corpus_never_mentions_is_named_as_such():
    gpus = CoverageJudge([chunk("NVIDIA sells GPU chips to Meta and OpenAI.")])
    assert gpus.company_unmentioned("How does Perplexity make money compared with OpenAI?") == "Perplexity"
    assert gpus.company_unmentioned("what's perplexity's strategy for taking on search?") == "perplexity"  # owning
    assert gpus.company_unmentioned("How does OpenAI make money compared with Meta?") is None
    assert gpus.company_unmentioned("What is perplexity in language models?") is None  # the everyday word


def test_a_country_the_corpus_never_mentions_is_named_as_such_where_the_question_asks_about_it():
    places = CoverageJudge([chunk("Europe and China build sovereign GPU clouds; Canada waits.")])
    assert places.place_unmentioned("How is India positioning itself in the GPU race?") == "India"
    assert places.place_unmentioned("what does the booklet say about india's sovereign clouds") == "india"
    assert places.place_unmentioned("How is China positioning itself in the GPU race?") is None
    # a sentence before the question that only sets the scene, and a place's adjective describing who asks
    assert places.place_unmentioned("Our team sits in Poland. How do European GPU costs compare?") is None
    assert places.place_unmentioned("What should a German bank do about sovereign clouds?") is None


def test_a_price_asked_of_a_thing_the_corpus_never_names_is_named_as_such():
    prices = CoverageJudge(
        [chunk("Claude Opus 4.7 costs $25 per million tokens in the API; Gemini Spark is a pro agent; small models.")]
    )
    assert prices.price_unwritten("claude haiku pricing per million tokens") == "haiku"
    assert prices.price_unwritten("What does Cerebras inference cost?") == "Cerebras"
    # a version of a name never written
    assert prices.price_unwritten("gemini 3 pro api pricing per million tokens") == "gemini 3"
    assert prices.price_unwritten("claude opus 4.7 pricing per million tokens") is None
    assert prices.price_unwritten("what's the price of Claude Opus 4.7 per 1K tokens?") is None  # a size is no name
    assert prices.price_unwritten("what's the price of the smallest Claude model?") is None  # "small" is written
    assert prices.price_unwritten("What everyday analogy explains the cost per token?") is None  # asks no price
    # what the asker does, before a dash, is not what is priced
    assert prices.price_unwritten("I set prices for an API reseller — what does Claude Opus 4.7 cost?") is None
    assert prices.price_unwritten("I set prices for an API reseller — what does Cerebras cost?") == "Cerebras"
    assert prices.price_unwritten("I set prices for an API reseller - what does Claude Opus 4.7 cost?") is None
    # a clause asking the price itself is not the asker's
    assert prices.price_unwritten("I need the price of Gemini 3 — what is it per million tokens?") == "Gemini 3"


def test_a_word_in_capitals_the_corpus_writes_only_in_lower_case_is_a_name():
    gpus = CoverageJudge([chunk("NVIDIA sells GPU chips to Meta in the US under the act; a safe bet.")])
    assert gpus.unknown_terms("How does the US CHIPS Act affect AI chips?") == ["CHIPS"]
    assert gpus.unknown_terms("Should we raise on a SAFE?") == ["SAFE"]
    assert gpus.unknown_terms("How many GPU chips did NVIDIA sell?") == []  # written in capitals
    assert gpus.unknown_terms("What does META do with GPU chips?") == []  # a company the corpus names, shouted
    assert gpus.unknown_terms("HOW MANY CHIPS DOES NVIDIA SELL?") == []  # a question typed in capitals throughout


def test_a_country_the_corpus_never_mentions_is_unknown_however_typed():
    places = CoverageJudge([chunk("Europe and China build sovereign clouds; Canada waits.")])
    assert places.unknown_terms("whats india doing on sovereign clouds") == ["india"]
    assert places.unknown_terms("India's sovereign clouds: how do they compare?") == ["India"]  # the first word too
    assert places.unknown_terms("what is china doing on sovereign clouds?") == []  # one it mentions
    assert places.unknown_terms("How do turkey farms use clouds?") == []  # an everyday word


@pytest.mark.parametrize(
    ("question", "unknown"),
    [
        ("For a German bank, what does Meta's bet mean?", []),
        ("Per the British bank's estimate, how many GPUs does Meta need?", []),
        ("Why would a Dutch retail chain pick the French AI lab's model?", []),
        ("What does a senior British engineer cost next to 100,000 GPUs?", []),
        # a name, a thing, or a place's own body: still a word the corpus never mentions
        ("What did Royal Dutch Shell buy from Meta?", ["Royal", "Dutch", "Shell"]),
        ("How did Meta's GPUs help break German codes?", ["German"]),
        ("What did the German government tell Meta?", ["German"]),
    ],
)
def test_an_adjective_of_a_place_describing_an_organisation_or_a_person_names_nothing(question, unknown):
    assert judge.unknown_terms(question) == unknown


def test_a_decade_or_century_is_known_when_the_corpus_writes_one_of_its_years():
    assert judge.unknown_terms("What did Meta do with GPUs in the 2020s?") == []
    assert judge.unknown_terms("What happened to Meta's GPUs in the 2000s?") == []  # read as the century: 2025
    assert judge.unknown_terms("What happened to GPUs in the 1990s or the 1800s?") == ["1990s", "1800s"]


def test_a_word_capitalised_because_it_opens_a_sentence_is_no_name():
    assert judge.unknown_terms("We can't outspend Meta on GPUs. Wearing your advisor hat, what now?") == []
    assert judge.unknown_terms("We can't outspend Meta.\nWearing your advisor hat, what now?") == []
    # letters or figures opening a sentence still name something
    assert judge.unknown_terms("Specs on Meta's GPUs? TPU ones too. GPT-5 as well?") == ["TPU", "GPT", "5"]


def test_known_names_numbers_ordinals_and_the_first_word_are_not():
    assert judge.unknown_terms("Why did Meta bet $14.8 billion on 100k GPUs in the 19th-century way?") == []
    assert judge.unknown_terms("Blitzscaling: what is it?") == []
    assert judge.unknown_terms("How do OpenAI and Anthropic's strategies differ?") == []


@pytest.mark.parametrize(
    ("question", "present"),
    [
        ("Has Anthropic raised again since the Series G?", True),
        ("Have there been any AI debt defaults?", True),
        ("Which model tops the leaderboard right now?", True),
        ("How has hyperscaler capex grown since 2022?", False),  # a span the corpus may cover
        ("How did OpenAI's revenue grow after ChatGPT launched?", False),
        ("Since efficiency keeps improving, why does total AI spending still grow?", False),  # "since": because
        ("Has that gap closed since?", False),  # since then: the time the conversation is about
        ("Why did Meta recently change its AI strategy?", False),  # the corpus reports recent events too
        ("Are newer open-weight models cheaper than frontier ones?", False),
        # "today's" before what happens from day to day asks for now; before a thing as it stands, not
        ("What are today's top headlines in tech?", True),
        ("What is today's stock price of NVIDIA?", True),
        ("What is the price of GPT-5 today?", True),
        ("My team thinks today's models are good enough - what does the spending wave mean for us?", False),
        ("Why is today's AI bear case weaker than it used to be?", False),
    ],
)
def test_a_question_about_now_or_after_the_corpus_is_told_from_one_about_a_past_span(question, present):
    assert asks_present(question) is present


@pytest.mark.parametrize(
    "question",
    [
        "Explain Hours and Dollars like I'm a 12-year-old",
        "What should a CIO do about Sovereignty?",
        "What should we do about Sovereignty?",
        "how should our bank prepare for the Financial Correction current?",
        "Give me a checklist for our quarterly trigger review",
        "what should a government do about Sovereignty?",
        "what should a CIO do now about Sovereignty?",
        "how should a CFO budget for Hours and Dollars?",
    ],
)
async def test_a_current_asked_for_a_reader_or_in_plain_words_is_covered(corpus_services, question):
    prepared = await corpus_services.answers.examine(question)
    assert prepared.coverage.covered, prepared.coverage


@pytest.mark.parametrize(
    "question",
    [
        "What should my family do about Financial Correction?",
        "What should a CIO do about the weather?",
        "give me a checklist for buying a used car",
        # the document named and something else: judged as any question
        "What should a CFO do about the Sovereignty of Scotland?",
        "what should I do with my Hours and Dollars paycheck?",
        "how should a bank handle the continued scaling of its mortgage book?",
    ],
)
async def test_what_someone_else_should_do_about_it_is_judged_as_any_question(corpus_services, question):
    prepared = await corpus_services.answers.examine(question)
    assert not prepared.coverage.covered


def test_a_job_title_as_the_asker_is_no_word_the_corpus_lacks(corpus_services):
    judge = corpus_services.answers._coverage_judge()
    retrieval = corpus_services.retriever.retrieve("What should a CIO do about Sovereignty?", 5)
    features = judge.features("What should a CIO do about Sovereignty?", retrieval, [])
    assert features["unknown_words"] == 0.0 and features["unknown_idf_share"] == 0.0


@pytest.mark.parametrize(
    ("question", "asked", "situation"),
    [
        ("Sovereignty risk for a European bank", "Sovereignty risk", " for a European bank"),
        (
            "What does the Efficiency Revolution mean for our AI team?",
            "What does the Efficiency Revolution mean?",
            " for our AI team",
        ),
        ("Platform paradox lessons, at a mid-size insurer", "Platform paradox lessons", ", at a mid-size insurer"),
        (
            "What does the Sovereignty current say about tariffs?",
            "What does the Sovereignty current say about tariffs?",
            "",
        ),
        ("for a European bank", "for a European bank", ""),  # nothing but the situation
    ],
)
def test_the_readers_situation_at_the_end_is_told_from_what_is_asked(question, asked, situation):
    assert reader_context(question) == (asked, situation)


# --- the trained classifier -------------------------------------------------------------------

import json  # noqa: E402

import numpy as np  # noqa: E402

from service.answering.coverage import FEATURES, MODEL_FILE, CoverageModel  # noqa: E402
from service.evals.train_coverage import Labelled, choose_threshold, errors, fit  # noqa: E402
from service.retrieval.hybrid import Retrieval, SearchHit  # noqa: E402


def test_the_shipped_model_was_trained_on_the_current_features_and_reports_both_errors():
    data = json.loads(MODEL_FILE.read_text())
    model = CoverageModel.load()
    assert tuple(data["features"]) == FEATURES and len(model.weights) == len(FEATURES)
    assert data["trained_on"] == "evals/golden dev split"
    cv = data["report"]["cv_logistic"]
    assert set(cv) == {"out_of_scope_answered", "in_scope_refused"} and 0 < model.threshold < 1


def test_a_model_trained_on_other_features_is_refused(tmp_path):
    path = tmp_path / "coverage_model.json"
    data = json.loads(MODEL_FILE.read_text())
    path.write_text(json.dumps(data | {"features": ["sentence_similarity"]}))
    with pytest.raises(ValueError, match="make tune-coverage"):
        CoverageModel.load(path)


def test_errors_are_counted_both_ways_and_the_threshold_balances_them():
    y = np.array([1, 1, 1, 1, 0, 0, 0, 0])
    p = np.array([0.9, 0.8, 0.7, 0.3, 0.6, 0.2, 0.1, 0.05])
    assert errors(y, p >= 0.5) == {"out_of_scope_answered": 0.25, "in_scope_refused": 0.25}
    t = choose_threshold(y, p)
    assert errors(y, p >= t)["out_of_scope_answered"] + errors(y, p >= t)["in_scope_refused"] <= 0.25


def test_the_threshold_keeps_the_larger_error_smallest_when_the_sum_is_flat():
    # Thresholds of 0.3, 0.55 and 0.8 all leave a sum of 0.2: 0.2 / 0.0, 0.1 / 0.1 and 0.0 / 0.2.
    y = np.array([1] * 10 + [0] * 10)
    p = np.array([0.9] * 8 + [0.4, 0.6] + [0.1] * 8 + [0.5, 0.7])
    t = choose_threshold(y, p)
    assert 0.5 < t <= 0.6
    assert errors(y, p >= t) == pytest.approx({"out_of_scope_answered": 0.1, "in_scope_refused": 0.1})


def _labelled(x: np.ndarray, y: np.ndarray, vectors: np.ndarray | None = None) -> Labelled:
    vectors = np.zeros((len(y), 8)) if vectors is None else vectors
    return Labelled(x, vectors, y)


def test_fit_learns_a_separable_signal_and_reproduces_its_own_probabilities():
    rng = np.random.default_rng(0)
    y = np.array([1] * 40 + [0] * 40)
    x = rng.normal(size=(80, len(FEATURES)))
    x[:, 0] += 3 * y  # the first signal separates the classes
    model, report = fit(_labelled(x, y, rng.normal(size=(80, 8))))
    assert report["cv_logistic"]["out_of_scope_answered"] < 0.15 and report["cv_logistic"]["in_scope_refused"] < 0.15
    topic = [model.topic(v) for v in rng.normal(size=(80, 8))]
    x[:, FEATURES.index("question_topic")] = topic
    covered = np.array([model.probability(dict(zip(FEATURES, row, strict=True))) >= model.threshold for row in x])
    assert (covered == (y == 1)).mean() > 0.9


def test_the_topic_model_learns_which_questions_are_in_scope_from_their_embeddings_alone():
    """Only the embeddings separate the classes; the stacked topic signal carries the decision, and its
    cross-validated errors are those of questions the topic model never saw."""
    rng = np.random.default_rng(1)
    y = np.array([1] * 60 + [0] * 60)
    vectors = rng.normal(size=(120, 16))
    vectors[:, 3] += 2.5 * (2 * y - 1)
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    model, report = fit(_labelled(rng.normal(size=(120, len(FEATURES))), y, vectors))
    without, with_topic = report["cv_logistic_without_topic"], report["cv_logistic"]
    assert sum(with_topic.values()) < 0.2 < sum(without.values())
    assert model.weights[FEATURES.index("question_topic")] > 0 and len(model.topic_weights) == 16
    assert model.topic(vectors[0]) > 0.5 > model.topic(vectors[-1])


def test_an_embedding_of_another_size_leaves_the_topic_signal_at_its_training_mean():
    model = CoverageModel.load()
    mean = model.mean[FEATURES.index("question_topic")]
    assert model.topic(np.ones(7, dtype=np.float32)) == mean and model.topic(None) == mean
    assert len(model.topic_weights) == 384  # all-MiniLM-L6-v2, the packaged embedding model


#: A classifier that alone would refuse everything.
REFUSING = CoverageModel(
    mean=(0.0,) * len(FEATURES),
    scale=(1.0,) * len(FEATURES),
    weights=(0.0,) * len(FEATURES),
    intercept=-10.0,
    threshold=0.5,
)


@pytest.mark.parametrize(
    ("query", "covered"),
    [
        ("death zone GPUs", True),  # every word in the one passage (its heading included)
        ("Meta GPUs", True),
        ("sourdough bread", False),  # words the corpus never uses
        ("Meta marathon", False),
        ("Meta GPUs death zone", False),  # four words: not a keyword query, the classifier decides
        ("Tell me about the death zone", True),  # a keyword query inside a request
        ("ok, can you explain Meta GPUs to me?", True),
        ("give me a quick overview of sourdough bread", False),
        ("Tell me about Kubernetes", False),  # a name the corpus never mentions
        ("Tell me the time", False),  # "time": a word most documents use names nothing to look up
        ("time", False),
        # a word saying what about the subject is wanted need not be in the passage
        ("death zone meaning", True),
        ("summary: Meta GPUs", True),
        ("Meta GPUs status", False),  # asks for news
        ("sourdough bread meaning", False),
        ("death zone quick recap", True),
        ("Meta GPUs key takeaways", True),
        ("rundown: Meta GPUs", True),
        ("death zone cheat sheet", True),
        ("sourdough bread cheat sheet", False),
        ("Meta GPUs quote", True),  # a quotation about it
        ("sourdough bread quote", False),
        ("Meta stock quote", False),  # a price, not a quotation
        ("pros and cons of Meta GPUs", True),  # both sides of it are wanted
        ("strengths and weaknesses of the death zone", True),
        ("pros and cons of sourdough bread", False),
        ("What are the pros and cons of Meta GPUs?", True),
        ("What are the pros and cons of sourdough bread?", False),
    ],
)
def test_a_keyword_query_one_passage_holds_whole_is_covered_whatever_the_classifier_says(query, covered):
    passage = chunk("Meta’s $14.8 billion bet on 100,000 GPUs in 2025, ahead of its time.")
    others = [
        replace(
            chunk(f"Another essay, another time: part {n}."),
            id=f"{n}:1",
            document_id=str(n),
            document_title=f"Essay {n}",
            section=None,
            section_path="",
        )
        for n in range(3)
    ]
    found = Retrieval([SearchHit(passage, 1.0)], np.zeros(4, np.float32), 0.3, 0.3, 1.0)
    verdict = CoverageJudge([passage, *others], REFUSING).judge(query, found)
    assert verdict.covered is covered, verdict
    assert verdict.probability < 0.001


@pytest.mark.parametrize(
    ("question", "covered"),
    [
        ("What is the Jevons paradox in AI?", True),
        ("blitzscaling", True),
        ("What are the trigger signals of the Sovereignty current?", True),
        ("Tell me about blitzscaling", True),  # a request around a keyword query
        ("Then tell me what the death zone is.", True),
        ("How do I bake sourdough bread?", False),
        ("Give me a quick overview of Kubernetes", False),
        (
            "Tell me the time",
            False,
        ),  # "time" is in 17 of the 23 documents: no lookup (it once quoted "The Compression of Time")
        ("What is a good training plan for a first marathon?", False),
        ("What does Porter's five forces framework say about supplier power?", False),
        ("What are today's top headlines in tech?", False),
        ("nonlinear gpu returns", True),  # the corpus writes "non-linear": a known word
        ("is pretraining over?", True),  # "pre-training"
    ],
)
def test_the_real_corpus_judge_separates_plain_cases(corpus_services, question, covered):
    answers = corpus_services.answers
    retrieval = corpus_services.retriever.retrieve(question, 5)
    verdict = answers._coverage_judge().judge(question, retrieval)
    assert verdict.covered is covered, verdict
    assert set(verdict.features) == set(FEATURES) and 0.0 <= verdict.probability <= 1.0


# --- a document named, asked about something it never discusses ---------------------------------


@pytest.mark.parametrize(
    ("question", "refused"),
    [
        ("What does the Jevons paradox essay say about my grandmother's recipe for apple pie?", True),
        ("Using the Sovereignty current, how should I plan my summer vacation in Italy?", True),
        # words the corpus never uses carry the topic: the ones it does use ("AI", "accelerators") lend no cover
        ("What does the Jevons essay say about bitcoin mining's energy use?", True),
        ("What does the creative destruction essay say about layoffs?", False),  # one word: its unemployment is near
        ("What does the AI stack essay say about AMD's Instinct accelerators?", True),
        ("in the platform paradox essay, what's the Microsoft mobile cautionary tale?", False),  # two odd words of five
        # A question about the document: decided by the classifier, not by this rule.
        ("In the Continued Scaling current, how much did the big hyperscalers spend on capex in 2024?", False),
        ("What kind of new regulation counts as a trigger signal in the Sovereignty current?", False),
        ("What is the Jevons paradox in AI?", False),  # names no document as one ("essay", "current", ...)
        # "involved" says how the countries bear on it, no topic the chapter never discusses
        ("Which countries are involved in the Sovereignty current?", False),
    ],
)
def test_a_named_document_asked_off_its_topic_is_refused_before_the_classifier(corpus_services, question, refused):
    answers = corpus_services.answers
    verdict = off_topic(question, corpus_services.retriever, answers._coverage_judge())
    assert (verdict is not None) is refused, verdict
    if refused:
        assert not verdict.covered and "does not discuss" in verdict.reason and verdict.unknown_terms
        assert not verdict.features  # decided before the classifier: no classifier signals


def test_asking_what_a_document_concludes_or_mentions_is_no_topic_it_never_discusses(corpus_services):
    judge = corpus_services.answers._coverage_judge()
    verdict = off_topic("What does the Jevons essay conclude about knitting?", corpus_services.retriever, judge)
    assert verdict is not None and verdict.unknown_terms == ("knitting",)
    assert off_topic("What does the Sovereignty chapter conclude?", corpus_services.retriever, judge) is None


@pytest.mark.parametrize(
    ("question", "watched"),
    [
        # “From Lab to Production” lists "First EU AI Act enforcement actions ..." among its trigger signals
        ("Which company got the first fine under the EU AI Act's GPAI rules?", True),
        ("Which company was hit with the first EU AI Act fine under the general-purpose AI rules?", True),
        ("Which EU AI Act enforcement action is the first trigger to watch?", False),  # asks about the signals
        ("Who got the supply chain risk designation?", False),  # the corpus reports it happened
    ],
)
async def test_who_did_something_the_booklet_only_says_to_watch_for_is_not_covered(corpus_services, question, watched):
    prepared = await corpus_services.answers.examine(question, "extractive")
    judge = corpus_services.answers._coverage_judge()
    assert judge.only_watched_for(question, prepared.retrieval) is watched
    if watched:
        assert not prepared.coverage.covered and "signal to watch for" in prepared.coverage.reason


async def test_off_topic_refusals_reach_the_answer(corpus_services):
    answer = await corpus_services.answers.ask(
        "What does the blitzscaling essay recommend for marathon training?", "extractive"
    )
    assert answer.supported is False and answer.mode == "refusal" and not answer.citations


# --- a document named, asked what it says about a topic it discusses --------------------------------


@pytest.mark.parametrize(
    ("question", "covered"),
    [
        ("what does the podcast say about Nvidia?", True),  # "the podcast" names the digest; one passage holds Nvidia
        ("What does the Sovereignty chapter say about Mistral?", True),
        # a word the corpus never uses, no passage of the document holding the topic, or no document named: None
        ("What does the podcast say about Nvidia's Q3 2026 earnings?", False),
        ("What does the podcast say about sourdough?", False),
        ("What does the Jevons essay say about Mistral?", False),
        ("What do people say about Nvidia?", False),
        ("What does the All-In podcast say about OpenAI?", False),  # a podcast the corpus does not hold
        # "mention", "discuss", "cover" ask the same without "about"
        ("Does the platform paradox essay mention Llama?", True),
        ("does the Sovereignty chapter discuss Mistral?", True),
        ("Does the platform paradox essay mention sourdough?", False),
        # ... and the other way round
        ("is Llama mentioned in the platform paradox essay?", True),
        ("is Mistral discussed in the Sovereignty chapter?", True),
        ("is sourdough mentioned in the podcast?", False),
        # the booklet is all its chapters, not only its introduction
        ("what does the booklet say about Nvidia?", True),
        ("does the booklet mention DeepSeek?", True),
        ("what does the booklet say about regulation?", True),
        ("what does the booklet say about sourdough?", False),
        # a thing the question says the document recommends: what it is, or the parts of it, asked
        ("What are the steps of the habit the booklet recommends?", True),
        ("What are the three steps of the habit the booklet asks you to commit to?", True),
        ("What are the rules of the stance the booklet recommends toward the currents?", True),
        ("What is the carbon footprint of the workflow the booklet recommends?", False),  # no passage holds it
        # things of a kind asked of the document: the kind is the topic
        ("What immediate actions does the digest list?", True),
        ("Which risks does the Financial Correction chapter describe?", True),
        ("What recipes does the Jevons essay give?", False),
    ],
)
def test_a_named_document_asked_what_it_says_about_a_topic_it_holds_is_covered(corpus_services, question, covered):
    verdict = on_topic(question, corpus_services.retriever, corpus_services.answers._coverage_judge())
    assert (verdict is not None) is covered, verdict
    if covered:
        assert verdict.covered and "says about a topic it discusses" in verdict.reason


@pytest.mark.parametrize("topic", ["Nvidia", "Meta", "Anthropic"])
async def test_what_a_named_document_says_about_its_topic_is_answered_from_it_alone(corpus_services, topic):
    answer = await corpus_services.answers.ask(f"what does the podcast say about {topic}?", "extractive")
    assert answer.supported and {c.document.id for c in answer.citations} == {"last-week-in-ai-arms-race"}


@pytest.mark.parametrize(
    ("question", "word"),
    [
        ("what does the booklet say about Anthropic?", "Anthropic"),  # had quoted “No current is the answer”
        ("what does the scenario planning booklet say about Mistral?", "Mistral"),  # had quoted the introduction
        ("what does the booklet say about agents?", "agent"),  # had quoted the podcast digest
    ],
)
async def test_what_the_booklet_says_about_a_topic_is_answered_from_its_chapters(corpus_services, question, word):
    answer = await corpus_services.answers.ask(question, "extractive")
    assert answer.supported and all(c.document.id.startswith("scenario-planning-") for c in answer.citations)
    assert word.lower() in answer.citations[0].quote.lower()


@pytest.mark.parametrize(
    ("question", "documents"),
    [
        ("what does the booklet say about agents?", 10),
        ("what does the booklet's introduction say about agents?", 1),  # a part of it, named with it
        ("what does the intro of the booklet say about agents?", 1),
        ("what does the Sovereignty chapter say about agents?", 1),
        ("what do the booklet and the podcast say about agents?", 0),  # two references: none as a whole
    ],
)
def test_the_booklet_is_every_chapter_unless_a_part_of_it_is_named(corpus_services, question, documents):
    assert len(documents_called_in(corpus_services.retriever, question)) == documents


def test_another_document_as_the_topic_is_left_to_the_classifier(corpus_services):
    # "the podcast" is a document, not a topic one passage of the booklet holds ("the Big Technology Podcast")
    question = "what does the booklet say about the podcast?"
    assert on_topic(question, corpus_services.retriever, corpus_services.answers._coverage_judge()) is None


def test_the_reader_named_is_no_topic_the_named_document_never_discusses(corpus_services):
    judge = corpus_services.answers._coverage_judge()
    question = "What should a CFO watch in the Financial Correction current?"
    assert off_topic(question, corpus_services.retriever, judge) is None  # "CFO" is who asks, not what is asked


@pytest.mark.parametrize(
    "question",
    [
        "What does the flywheel essay mean for a CFO?",
        "What does the podcast mean for a CTO?",
        "What's the takeaway for HR leaders from Hours and Dollars?",  # "HR": a role the corpus never names
    ],
)
async def test_what_a_named_document_means_for_a_role_is_answered_from_it(corpus_services, question):
    answer = await corpus_services.answers.ask(question, "extractive")
    assert answer.supported and len({c.document.id for c in answer.citations}) == 1


def test_a_plural_kind_word_is_no_topic_the_named_documents_never_discuss(corpus_services):
    question = "What do the platform paradox and innovator's dilemma essays say about Meta?"
    assert off_topic(question, corpus_services.retriever, corpus_services.answers._coverage_judge()) is None


# --- what a named document means for the reader ------------------------------------------------------------


@pytest.mark.parametrize(
    ("question", "about"),
    [
        ("what does the flywheel essay mean for me?", "ai-flywheel-paradox"),
        ("What does Hours and Dollars mean for our team?", "scenario-planning-06-hours-and-dollars"),
        ("What does the flywheel essay mean for founders?", "ai-flywheel-paradox"),  # whom the corpus writes for
        ("What does Hours and Dollars mean for HR?", "scenario-planning-06-hours-and-dollars"),  # a function, a role
        ("What are the implications of the Sovereignty current for my company?", "scenario-planning-04-sovereignty"),
        # a sector, a size and a place say which organisation reads it
        ("What does the Sovereignty current mean for a European bank?", "scenario-planning-04-sovereignty"),
        ("What does the Sovereignty current mean for a hospital?", "scenario-planning-04-sovereignty"),
        (
            "What does the Efficiency Revolution mean for an EU insurance company?",
            "scenario-planning-02-efficiency-revolution",
        ),
        (
            "What does From Lab to Production mean for a logistics company in Germany?",
            "scenario-planning-05-from-lab-to-production",
        ),
        ("What does Financial Correction mean for a mid-size retailer?", "scenario-planning-03-financial-correction"),
        ("What does the Sovereignty current mean for a French bank?", "scenario-planning-04-sovereignty"),
        ("What does Financial Correction mean for a pension fund?", "scenario-planning-03-financial-correction"),
        # what of the reader's work it may mean something for
        ("what does the Financial Correction current mean for my budget?", "scenario-planning-03-financial-correction"),
        ("What does the Sovereignty current mean for our AI roadmap?", "scenario-planning-04-sovereignty"),
        # what it predicts for someone, and a firm by a generic word
        ("What does the blitzscaling essay predict for outfits our size?", "blitzscaling-ai"),
        (
            "What does the Efficiency Revolution predict for smaller players?",
            "scenario-planning-02-efficiency-revolution",
        ),
        # a sector's word alone is the asker's life, not an organisation
        ("What does the Jevons essay mean for my health?", None),
        ("What does the flywheel essay mean for my family?", None),
        ("What does the Financial Correction current mean for my pension?", None),
        # any other reader, or no one document named: None (the classifier decides)
        ("What does the Jevons essay mean for my sourdough bakery?", None),
        ("What does the Jevons essay mean for my weight loss?", None),  # corpus words in another sense
        ("What does the hype cycle essay mean for the housing market?", None),
        ("What does the Sovereignty current mean for my bank account?", None),
        ("What does the Jevons essay mean for hospital parking fees?", None),
        ("What does the Financial Correction current mean for my mortgage?", None),
        ("What does AI mean for banks?", None),
        ("What does the All-In podcast mean for me?", None),
        # how a reader puts it to work: the document after the verb, who they are before it or after it
        ("How do I measure Hours and Dollars for my team?", "scenario-planning-06-hours-and-dollars"),
        ("How can my team use the trigger drill?", "scenario-planning-09-trigger-drill"),
        ("How do we track the Sovereignty current as a German bank?", "scenario-planning-04-sovereignty"),
        # the chapter's name holds "to" itself
        ("How can a hospital use the From Lab to Production chapter?", "scenario-planning-05-from-lab-to-production"),
        ("How do I apply the Jevons paradox to my diet?", None),
        ("How do I use the trigger drill to pick lottery numbers?", None),
        ("How do I apply the blitzscaling essay to my marathon training?", None),
    ],
)
def test_what_a_named_document_means_for_a_reader_the_corpus_can_speak_to_is_covered(corpus_services, question, about):
    verdict = implications_for_reader(question, corpus_services.retriever, corpus_services.answers._coverage_judge())
    assert (verdict.about if verdict else None) == about


@pytest.mark.parametrize(
    "question",
    [
        "What does the Sovereignty current mean for a hospital?",  # "hospital": a word the corpus never uses
        "What does the Hours and Dollars chapter mean for a hospital in Texas?",
        "What should a hospital do about the Sovereignty current?",
        "How can a hospital use the From Lab to Production chapter?",
    ],
)
def test_the_readers_sector_and_place_are_no_topic_a_named_document_never_discusses(corpus_services, question):
    assert off_topic(question, corpus_services.retriever, corpus_services.answers._coverage_judge()) is None


@pytest.mark.parametrize(
    "question",
    [
        "What does the flywheel essay mean for my vacation in Italy?",
        "What does the Jevons essay say about hospitals?",
        "How can I use the podcast digest for my fantasy football team?",
        "How should my cat respond to the Sovereignty current?",
    ],
)
def test_other_words_the_named_document_never_discusses_still_refuse(corpus_services, question):
    assert off_topic(question, corpus_services.retriever, corpus_services.answers._coverage_judge()) is not None


def test_the_askers_pronouns_are_no_topic_a_named_document_never_discusses(corpus_services):
    question = "As a product manager, what does the flywheel essay mean for me?"
    assert off_topic(question, corpus_services.retriever, corpus_services.answers._coverage_judge()) is None


@pytest.mark.parametrize(
    ("question", "covered"),
    [
        ("what happened with DeepSeek?", True),  # whatever the corpus says about DeepSeek
        ("Whatever happened to Webvan?", True),
        ("what's going on with kimi k2.6?", True),
        ("Whatever happened to Aleph Alpha?", False),  # a name the corpus never mentions
        ("what happened to GPT-9?", False),  # "GPT" and "9" are corpus words; "GPT-9" is not
        ("What happened between Anthropic and the Pentagon?", True),  # one passage tells it
        ("what happened between Apple and Samsung?", False),
        ("What went wrong at Pets.com?", True),  # “Amazon vs. Pets.com”
        ("what went wrong at Theranos?", False),
        ("what went wrong with my sourdough?", False),
        # ... or on a date: one passage writes it
        ("What happened on February 27, 2026?", True),
        ("What happened on March 10, 2000?", True),  # the Nasdaq's all-time high
        ("What happened on January 6, 2027?", False),
        # a possessive's "s" is no word of the lookup
        ("What happened to Meta's Avocado model?", True),
    ],
)
async def test_what_happened_with_a_name_is_a_lookup_of_that_name(corpus_services, question, covered):
    prepared = await corpus_services.answers.examine(question)
    assert prepared.coverage.covered is covered, prepared.coverage


@pytest.mark.parametrize(
    ("question", "covered"),
    [
        # the passage that leads the answer names it, and says what it is for ("... on hard tickets")
        ("What is Kimi K2.6 good for?", True),
        ("what's kimi k2.6 good at", True),
        ("what's GLM-5.1 best for?", True),
        ("what is RLVR used for?", True),
        # the best passage is about something else ("good enough"): the names alone are no lookup
        ("What is Llama good for?", False),
        ("What is a hammer good for?", False),
        ("What is sourdough good for?", False),
    ],
)
async def test_what_a_named_thing_is_good_for_is_a_lookup_of_that_thing(corpus_services, question, covered):
    prepared = await corpus_services.answers.examine(question)
    assert prepared.coverage.covered is covered, prepared.coverage


@pytest.mark.parametrize(
    ("question", "covered"),
    [
        ("how does the AI flywheel work?", True),  # the subject of an essay: its title names it
        ("how does the flywheel work?", True),
        ("explain how the flywheel works", True),
        ("how is blitzscaling supposed to work?", True),
        # the subject of a section: its heading names it and at most one word more
        ("How does the capability treadmill work?", True),  # “The Capability Treadmill”
        ("How does the staircase pattern work?", True),
        ("How does the attention mechanism in a transformer work?", False),  # no title names it
        ("How does the attention mechanism work?", False),  # “The Mechanism” does not name the attention
        ("how does the stock market work?", False),
        ("how do tariffs work?", False),
        ("How does mixture-of-experts routing work?", False),
        # a word one of its headings uses is no subject an essay is written about
        ("how does a goose work?", False),  # “The Golden Goose Problem”
        ("how is a storm supposed to work?", False),
        ("how does a prison work?", False),  # “Conclusion: The Platform Prisoner”
    ],
)
async def test_how_a_subject_the_corpus_is_about_works_is_covered(corpus_services, question, covered):
    prepared = await corpus_services.answers.examine(question)
    assert prepared.coverage.covered is covered, prepared.coverage


@pytest.mark.parametrize(
    ("question", "covered"),
    [
        ("what did Mistral's CEO say?", True),  # whatever the corpus reports they said: one passage holds it
        ("what does Mistral's CEO think?", True),
        ("what did Judge Rita Lin say?", True),
        ("what did Satya Nadella say?", False),  # a name the corpus never mentions
        ("what did my doctor say about cholesterol?", False),
        # with a topic: a passage naming both need not report what they said about it
        ("what did Sam Altman say about DeepSeek?", False),
        ("what did Microsoft say about Stargate?", False),
    ],
)
async def test_what_someone_said_is_a_lookup_of_who(corpus_services, question, covered):
    prepared = await corpus_services.answers.examine(question)
    assert prepared.coverage.covered is covered, prepared.coverage


@pytest.mark.parametrize(
    ("question", "covered"),
    [
        # counting or naming the parts of a text: looked up as those parts ("currents"), which one passage lists
        ("How many currents are there and what are they called?", True),
        ("what are the currents called?", True),
        ("how many currents are there?", True),
        ("how many stages of grief are there?", False),  # one passage must hold what they are parts of
        ("what are the moons of Jupiter called?", False),
        ("What are the phases of the moon called?", False),
        ("what are the triggers of a migraine called?", False),
        # things named that are no parts of a framework or current
        ("what are the names of OpenAI's executives?", False),
        ("what are the names of the Llama models?", False),
        ("how many chapters does the booklet have?", False),  # the corpus never counts them
    ],
)
async def test_a_question_counting_or_naming_parts_is_a_lookup_of_them(corpus_services, question, covered):
    prepared = await corpus_services.answers.examine(question)
    assert prepared.coverage.covered is covered, prepared.coverage


async def test_a_light_verb_is_no_word_the_passages_must_hold(corpus_services):
    prepared = await corpus_services.answers.examine("who is doing blitzscaling?")  # "doing": no topic
    assert prepared.coverage.covered, prepared.coverage


def test_a_price_asked_is_given_in_money_for_the_version_named():
    passages = [
        chunk("GPT-4 launched at $60 per million tokens."),
        chunk("In 2022 GPT-3.5 cost $0.002 per 1K tokens."),
        chunk("GPT-3.5 was 30x cheaper per token."),
    ]
    prices = CoverageJudge(passages)
    wanted = prices.figure_asked(
        "what was the price of gpt-3.5 tokens?"
    )  # "GPT" in capitals: a name, typed in any case
    assert wanted is not None and wanted.money and {"token"} in wanted.words and {"price"} not in wanted.words
    assert [prices.gives_figure(c, wanted) for c in passages] == [False, True, False]  # GPT-4's; no money


def test_how_an_amount_is_summed_is_no_word_the_sentence_giving_it_holds():
    passages = [
        chunk(
            "Mistral's new Small Four model family highlights a shift. Its Mixture-of-Experts design promises efficiency "
            "with only 6 billion active parameters, the underlying 119 billion parameters a challenge for fine-tuning."
        )
    ]
    mistral = CoverageJudge(passages)
    wanted = mistral.figure_asked("How many active and total parameters does Mistral's Small Four have?")
    assert wanted is not None and {"total"} not in wanted.words and {"activ"} in wanted.words
    assert mistral.gives_figure(passages[0], wanted)


@pytest.mark.parametrize(
    ("question", "event"),
    [
        ("What did Apple announce at WWDC 2026 about on-device models?", "WWDC"),
        ("What AI services did Amazon announce at re:Invent 2025?", "re:Invent"),
        ("What was unveiled at the Paris AI Action Summit?", "Paris AI Action Summit"),
        ("What did NVIDIA show at this year's GTC?", "GTC"),
        ("What did Google announce at I/O?", None),  # the corpus names it
        ("Why did OpenAI say at launch that GPT-4 was safe?", None),  # no event named
    ],
)
def test_an_event_the_corpus_never_names_is_one_it_reports_nothing_said_at(question, event):
    judge = CoverageJudge(
        [chunk("Gemini Spark, announced at I/O on May 19, is a personal agent. NVIDIA and Apple ship.")]
    )
    assert judge.event_unmentioned(question) == event


@pytest.mark.parametrize(
    ("question", "source"),
    [
        ("what does crossing the chasm say about how fast ai tools get adopted", "crossing the chasm"),
        ("What would Hamilton Helmer say about counter-positioning?", "Hamilton Helmer"),
        ("what did the judge say about the supply chain designation?", None),  # words the corpus uses
        ("what does the Schumpeter-inspired essay say about SaaS?", None),  # a document of the corpus
        ("What does Reid Hoffman argue about speed?", None),  # someone the corpus names
        ("What does the corpus say about the judge?", None),  # the collection itself
        ("Why do analysts say the GPU race will end?", None),  # asks why, not what a source says
    ],
)
def test_a_source_called_by_a_word_the_corpus_never_uses_is_one_it_quotes_nothing_of(question, source):
    judge = CoverageJudge(
        [chunk("Reid Hoffman argues speed wins. The judge ruled on the supply chain designation; analysts say so.")]
    )
    assert judge.source_unmentioned(question) == source


def test_a_query_of_words_ending_in_a_measure_asks_an_amount():
    built = CoverageJudge([chunk("Musk's xAI deployed Colossus, a cluster of 100,000 GPUs. The GPUs run hot at xAI.")])
    counted = built.figure_asked("colossus gpu count")  # the count is of GPUs: "count" is no word the sentence holds
    assert counted == FigureAsked(({"colossus"}, {"gpu"}))
    assert built.figure_asked("gpu cluster price") is None  # names nothing the corpus names
    assert built.figure_asked("how does colossus gpu count work?") is None  # a question, asking no amount


def test_a_figure_is_asked_of_what_the_corpus_names_with_every_word_it_uses():
    named = CoverageJudge(
        [chunk("The revenue of Anthropic grew to $5 billion: what it makes. Investors like Anthropic.")]
    )
    # what is measured, with the corpus's other words for it
    assert named.figure_asked("how much revenue does Anthropic make?") == FigureAsked(
        ({"anthrop"}, {"make", "revenu", "arr", "earn"}, {"revenu", "arr"})
    )
    assert named.figure_asked("how much revenue does a bakery make?") is None  # names nothing the corpus names
    assert named.figure_asked("how big is Anthropic?") is None  # a name alone: an amount of anything
    assert named.figure_asked("how much revenue does Anthropic make today?") is None  # the present
    assert named.figure_asked("what is Anthropic's strategy?") is None  # no figure asked
    assert named.figure_asked("how much Series F money did Anthropic raise?") is None  # words the corpus lacks


@pytest.mark.parametrize(
    ("question", "amount"),
    [
        # what someone raised, spent or paid is an amount; raising concerns or paying attention is not
        ("What has Anthropic raised?", True),
        ("What did Meta spend on capex in 2025?", True),
        ("What did Anthropic raise concerns about?", False),
        ("What did the author pay attention to?", False),
        # a price or valuation of something named
        ("What was OpenAI's IPO share price?", True),
        ("What was the price war about?", False),
        ("What was behind OpenAI's valuation?", False),
    ],
)
def test_what_was_raised_spent_or_paid_and_a_named_price_are_amounts_asked(question, amount):
    assert bool(_ASKS_AMOUNT.search(question)) is amount


def test_a_word_stands_for_the_corpus_forms_one_of_which_begins_the_other():
    forms = CoverageJudge(
        [chunk("A $1.5 billion settlement was settled; generic and general models at Intel are intelligent.")]
    )
    assert forms.forms_of("settl") == {"settl", "settlement"}
    assert forms.forms_of("settlem") == {"settl", "settlement"}  # a word the corpus never writes, by its forms
    assert forms.forms_of("generat") == set()  # not "generic" nor "general"
    assert forms.forms_of("intel") == {"intel"}  # a name is only itself, not "intelligent"
    assert forms.forms_of("sourdough") == set()


@pytest.mark.parametrize(
    ("question", "covered"),
    [
        # the figure is given, in one sentence with the name and every word asked with
        ("how much revenue does Anthropic make?", True),
        ("How big is DeepSeek V4?", True),
        ("how many GPUs does xAI have?", True),
        ("how many users does ChatGPT have?", True),
        # in the corpus's other words for what is measured: a valuation, a funding round, revenue or ARR
        ("How much is Mistral valued at?", True),
        ("how much did OpenAI raise?", True),
        ("How much does Anthropic make?", True),
        # words that only say how big it was: "OpenAI reached an $852 billion post-money valuation ... after its $122
        # billion funding round in March 2026"
        ("what valuation did openai get out of the massive march raise?", True),
        ("how big a valuation did openai get out of its giant raise?", True),
        # the figure in the sentence after the one that names the thing: "... Mistral's new Small Four model family
        # ...", then "While Mistral's ... approach ... promise efficiency with only 6 billion active parameters, ..."
        ("How big is Mistral's Small Four?", True),
        # grown in users or revenue, the corpus's own measures ("ChatGPT to 100M users: 2 months"), and a possessive's
        # "s" and "during" no words the sentence must hold ("Yet its revenue grew every single year through the crash")
        ("How fast did ChatGPT grow?", True),
        ("How much did Amazon's revenue grow during the crash?", True),
        # wanted, planned or needed: "Microsoft's Rainier project targets 500,000 GPUs"
        ("How many GPUs does Microsoft want?", True),
        ("How many GPUs does xAI need?", True),
        # a part of a whole, asked with how it is part ("comes from", "account for") and another word of rank or for a
        # customer: "NVIDIA's top four customers (Microsoft, Meta, Amazon, and Alphabet) represented approximately 40%
        # of total revenue"
        ("What share of NVIDIA's revenue comes from its four biggest buyers?", True),
        ("Which companies are NVIDIA's top four customers and how much of its revenue do they account for?", True),
        ("What share of NVIDIA's revenue comes from China?", False),
        # a benchmark's score, which the sentence writes as its result: "58.4% on SWE-Bench Pro"
        ("GLM-5.1 SWE-Bench Pro score", True),
        ("What is GLM-5.1's SWE-Bench Pro score?", True),
        ("What is GPT-5's MMLU score?", False),
        # what a model cost to build is what it cost to train ("GPT-4 | OpenAI | Mar 2023 | >$100M" under "Training
        # cost"), and "really", "original" only say which figure is meant
        ("What did the original GPT-4 really cost to build?", True),
        # what was raised is an amount: "... after its $122 billion funding round in March 2026"
        ("What did OpenAI raise in March 2026?", True),
        # a word of the question in another form of the sentence's ("settle": "a $1.5 billion class-wide settlement")
        ("How much did Anthropic settle the Bartz case for?", True),
        # a figure of something the corpus names but never gives, or as of now
        ("How many megawatts does xAI's Colossus cluster draw?", False),
        ("What valuation did Anthropic get in its Series F?", False),
        ("how many users does ChatGPT have today?", False),
        ("how many employees does Anthropic have?", False),
        # a name alone, or a number of a name, finds any sentence with a figure in it
        ("How much does Apple make?", False),  # no sentence gives Apple's revenue
        ("How much revenue has Anthropic made?", True),
        # named in passing, in parentheses: "NVIDIA's top four customers (Microsoft, ...) represented ~40% of revenue"
        ("How much does Microsoft make?", False),
        ("how much did Amazon raise?", False),  # “Amazon vs. Pets.com”: "Pets.com raised $300 million"
        ("How long is the Amazon?", False),
        ("How big is the Pentagon?", False),  # the sentence naming it gives a date
        ("How fast is Llama 4?", False),
    ],
)
async def test_a_figure_a_passage_gives_of_something_the_corpus_names_is_covered(corpus_services, question, covered):
    prepared = await corpus_services.answers.examine(question)
    assert prepared.coverage.covered is covered, prepared.coverage


@pytest.mark.parametrize(
    ("question", "covered"),
    [
        # one sentence holds every word, the name outside parentheses: "Then in December 2024, DeepSeek released V3"
        ("What did DeepSeek release in December 2024?", True),
        # two sentences side by side hold them: "... Mistral's new Small Four model family ..." and, next, "While
        # Mistral's ... approach ... promise efficiency with only 6 billion active parameters, ..."
        ("mistral small four parameters", True),
        # the corpus names Meta and Llama, but no sentence says when Llama 4 came out ("Llama 4 remains ...")
        ("When did Meta release Llama 4?", False),
        ("How many employees does Anthropic have?", False),
        # four words or more when none is a name: "Judge Rita Lin called the designation “Orwellian”"
        ("Which judge called the designation Orwellian?", True),
        ("What is the best way to build a strong team culture?", False),
        # every word one sentence holds ("the best way to make money in a gold rush ..."), all of them common
        ("What is the best way to make money?", False),
        # one word of rank for another: "NVIDIA's top four customers (Microsoft, Meta, Amazon, and Alphabet)"
        ("who are NVIDIA's biggest customers?", True),
        ("who are Anthropic's biggest customers?", False),
    ],
)
async def test_a_question_one_sentence_holds_whole_is_a_lookup(corpus_services, question, covered):
    prepared = await corpus_services.answers.examine(question)
    assert prepared.coverage.covered is covered, prepared.coverage


@pytest.mark.parametrize(
    ("question", "covered", "reason"),
    [
        # Jevons’ 1865 “The Coal Question”: a title in quotation marks beside the name asked of
        ("What was the title of Jevons' 1865 book?", True, "a passage gives the title asked for"),
        # "Schumpeter’s 1942 insight", and no title
        (
            "In which book did Schumpeter introduce the idea of creative destruction?",
            False,
            "no passage gives the title",
        ),
        (
            "What's the title of the 1942 book where Schumpeter described creative destruction?",
            False,
            "no passage gives",
        ),
        # whose work it is named nowhere ("he" standing for no one named): a quoted phrase of any passage is no title
        ("what was the title of the book he wrote it in?", False, "no passage gives the title"),
        # ... though a work asked of by what it is about is named enough
        ("What was the title of the 1865 book on coal?", True, "a passage gives the title asked for"),
    ],
)
async def test_the_title_of_a_work_is_covered_only_where_a_passage_gives_it(corpus_services, question, covered, reason):
    prepared = await corpus_services.answers.examine(question)
    assert prepared.coverage.covered is covered and reason in prepared.coverage.reason, prepared.coverage


@pytest.mark.parametrize(
    ("question", "covered"),
    [
        # "Meta's acquisition of Manus ...": both names in one sentence, the question's verb its noun
        ("Did Meta acquire Manus?", True),
        # no sentence names both
        ("Did Apple acquire Mistral?", False),
        # one name is not enough: "Did Anthropic win the appeal?" is the classifier's to judge
        ("When did Meta release Llama 4?", False),
        # a version in any case or with a hyphen is the version still ("Llama 3.1", "GPT-4" are not Llama 4)
        ("when did meta release llama-4?", False),
        # the word missing is the question's own verb, no form of one the sentence holds
        ("Did OpenAI fire Sam Altman?", False),
        # "end up" only asks whether: "The Bartz v. Anthropic case produced a $1.5 billion class-wide settlement"
        ("Did Bartz v. Anthropic end up in a settlement?", True),
        # asking when: the word missing may be the verb of what is awaited, when the sentence gives a year ("AGI by
        # 2029 claim" under "xAI: The Pure Blitzscaler")
        ("When does xAI claim AGI will arrive?", True),
        # asking how long it took: the sentence gives a duration ("xAI deployed Colossus ... in just 122 days")
        ("How quickly did xAI stand up its Colossus cluster?", True),
        # typed in lower case: "Colossus", written once and in running prose, is a name the corpus writes
        ("how fast did xai get colossus up and running", True),
        ("did meta acquire manus", True),
        # what someone said or decided, one verb of saying for another: "(Judge Rita Lin called the designation ...)"
        ("What did Judge Rita Lin rule?", True),
        # ... not another verb: no sentence says what she bought
        ("What did Judge Rita Lin buy?", False),
    ],
)
async def test_a_question_one_sentence_names_everything_of_is_a_lookup(corpus_services, question, covered):
    prepared = await corpus_services.answers.examine(question)
    assert prepared.coverage.covered is covered, prepared.coverage


@pytest.mark.parametrize(
    ("question", "reason"),
    [
        # "The Bartz v. Anthropic case produced a $1.5 billion class-wide settlement."
        ("How much did Anthropic settle the Bartz case for?", "a passage gives the figure asked for"),
        # "... after its $122 billion funding round in March 2026"
        ("What did OpenAI raise in March 2026?", "a passage gives the figure asked for"),
        # "(Judge Rita Lin called the designation “Orwellian” ...)"
        ("What did Judge Rita Lin rule?", "one sentence names everything the question names"),
    ],
)
async def test_a_rule_not_the_classifier_covers_a_fact_one_sentence_gives(corpus_services, question, reason):
    prepared = await corpus_services.answers.examine(question)
    assert prepared.coverage.covered and prepared.coverage.reason == reason, prepared.coverage


@pytest.mark.parametrize(
    ("question", "covered"),
    [
        ("What do the documents say about Groq?", True),
        ("What does the corpus say about George Hotz?", True),
        ("Which essays talk about Meta?", True),  # was refused
        ("Which essays mention pizza?", False),
        ("do you have anything on Wardley maps?", False),
        ("What do the documents say about pizza?", False),
    ],
)
async def test_what_the_collection_says_about_a_topic_is_judged_as_the_topic(corpus_services, question, covered):
    prepared = await corpus_services.answers.examine(question)
    assert prepared.coverage.covered is covered, prepared.coverage


async def test_the_passage_that_gives_the_figure_is_quoted(corpus_services):
    answer = await corpus_services.answers.ask("how many GPUs does xAI have?", "extractive")
    assert answer.supported and "100,000 GPUs" in answer.citations[0].quote, answer.answer


@pytest.mark.parametrize(
    ("question", "coined"),
    [
        # Helmer's 7 Powers, though both words are corpus words
        ("what is counter-positioning?", "counter-positioning"),
        ("define build-measure-learn", "build-measure-learn"),
        ("what is pre-training?", None),  # the corpus writes it
        ("what is a one-way moat?", None),
        ("what's that based on, token-wise?", None),  # no term
        ("why is counter-positioning hard?", None),  # no definition asked: the classifier's to judge
    ],
)
def test_a_term_to_define_with_a_hyphenated_word_the_corpus_never_writes_is_coined(corpus_services, question, coined):
    assert corpus_services.answers._coverage_judge().coined_term(question) == coined


async def test_defining_a_coined_term_is_refused_naming_it(corpus_services):
    prepared = await corpus_services.answers.examine("what is a counter-positioning?")
    assert not prepared.coverage.covered and prepared.coverage.unknown_terms == ("counter-positioning",)


@pytest.mark.parametrize(
    ("question", "chapter"),
    [
        ("how should I use this booklet?", "scenario-planning-08-how-to-use-this-in-practice"),
        ("how do I use the booklet?", "scenario-planning-08-how-to-use-this-in-practice"),
        ("how should I use this booklet to plan my wedding?", None),  # words no chapter's title holds
        ("Is the booklet in production?", None),  # asks no how: "From Lab to Production" is not what it means
    ],
)
async def test_a_chapter_asked_about_by_the_words_of_its_title_is_covered_and_answered_from_it(
    corpus_services, question, chapter
):
    prepared = await corpus_services.answers.examine(question)
    if chapter is None:
        assert not prepared.coverage.covered, prepared.coverage
    else:
        assert prepared.coverage.about == chapter
        assert {h.chunk.document_id for h in prepared.retrieval.hits} == {chapter}


GUIDES = {
    "scenario-planning-00-introduction",
    "scenario-planning-07-how-the-currents-interact",
    "scenario-planning-08-how-to-use-this-in-practice",
    "scenario-planning-09-trigger-drill",
}


@pytest.mark.parametrize(
    ("question", "says"),
    [
        (
            "We're planning an offsite for our exec team. Could we run a session off this booklet, or is it only meant "
            "to be read alone?",
            "as a presentation tool",
        ),
        ("Are the forces in this booklet supposed to be predictions?", "the forces are more stable"),
        ("How is the chapter on each current in this booklet put together?", "presenter card"),
        ("How do I use the scenario booklet with my team?", "as a presentation tool"),
    ],
)
async def test_how_the_booklet_is_meant_to_be_used_is_covered_from_its_chapters_about_no_current(
    corpus_services, question, says
):
    prepared = await corpus_services.answers.examine(question)
    assert prepared.coverage.covered and set(prepared.coverage.about) == GUIDES, prepared.coverage
    assert {h.chunk.document_id for h in prepared.retrieval.hits} <= GUIDES
    answer = await corpus_services.answers.ask(question)
    assert says in answer.answer.lower(), answer.answer


@pytest.mark.parametrize(
    "question",
    [
        "can I use this booklet to plan a birthday party?",  # a word the corpus never uses
        "Using the Cynefin framework, which of the six currents are chaotic?",  # a name it never mentions
    ],
)
async def test_the_booklet_used_for_what_it_never_discusses_is_refused(corpus_services, question):
    prepared = await corpus_services.answers.examine(question)
    assert not prepared.coverage.covered, prepared.coverage


@pytest.mark.parametrize(
    ("question", "covered"),
    [
        ("what does the booklet say about China?", True),  # "the Chinese open-weight stack"
        ("what does the Jevons essay say about China?", False),
        ("what does the booklet say about India?", False),
    ],
)
async def test_a_place_is_held_by_its_peoples_adjective(corpus_services, question, covered):
    prepared = await corpus_services.answers.examine(question)
    assert prepared.coverage.covered is covered, prepared.coverage


@pytest.mark.parametrize(
    ("question", "covered"),
    [
        ("which current is most relevant for a bank?", True),  # the booklet: no current is "the answer"
        ("which current matters most for a hospital?", True),
        ("which current is best for crypto mining?", False),  # no reader the rule knows
        ("which ocean current is the strongest?", False),  # no current of the booklet's
    ],
)
async def test_which_of_the_currents_to_choose_is_covered_by_the_booklets_stance(corpus_services, question, covered):
    answer = await corpus_services.answers.ask(question, "extractive")
    assert answer.supported is covered, answer.answer
    if covered:
        assert answer.citations[0].document.id == "scenario-planning-07-how-the-currents-interact"


def test_a_name_may_be_held_by_the_heading_a_figure_sits_under():
    judge = CoverageJudge([chunk("Investors like Anthropic, and Anthropic buys GPUs for $5 billion.")])
    listed = replace(chunk("- 600,000 GPUs: Massive compute capacity"), section="Anthropic’s Infrastructure Investment")
    wanted = judge.figure_asked("how many GPUs does Anthropic have?")
    assert wanted is not None and judge.gives_figure(listed, wanted)
    assert not judge.gives_figure(replace(listed, section="Infrastructure"), wanted)
    assert not judge.gives_figure(replace(listed, section="Anthropic vs. OpenAI"), wanted)  # two parties


@pytest.mark.parametrize(
    ("question", "section"),
    [
        ("what would you recommend to incumbents?", "For Incumbents"),  # "recommend": no corpus word
        ("how do defenders respond?", "For Defenders"),
        ("what should workers do?", "For Workers"),
        ("tips for software companies?", "For Software Companies"),
        ("what should defenders do in chess?", None),  # a word no such heading holds
        # no section is written "For Tesla" (what OpenAI should do is answered by a section about OpenAI, not for it:
        # test_what_a_company_should_do_is_answered_by_a_section_about_it)
        ("what should Tesla do?", None),
        ("what would you recommend for unemployment?", None),  # “The Unemployment Tsunami” is written for no one
        ("what do you recommend for a headache?", None),
        # who asks says who the advice is for; the document asked is no one it is for
        ("I'm an investor - what does the blitzscaling essay tell me to do?", "For Investors"),
        ("I'm a chef - what should I do?", None),
        # of the one document it names, a section the search ranks lower (“The Investment FOMO” first)
        ("What should investors do according to the hype cycle essay?", "For Investors"),
        ("what should enterprises do about the platform paradox?", "For Enterprises"),  # its title's words: no one
    ],
)
async def test_advice_for_whom_a_section_is_written_is_covered_and_quoted_from_it(corpus_services, question, section):
    answer = await corpus_services.answers.ask(question, "extractive")
    if section is None:
        assert not answer.supported, answer.answer
    else:
        assert answer.supported and answer.citations[0].section == section, answer.answer


@pytest.mark.parametrize(
    ("question", "source", "rest"),
    [
        (
            "What did Meta launch in April, per the Sovereignty chapter?",
            "the Sovereignty chapter",
            "What did Meta launch in April",
        ),
        (
            "Why did Meta release Llama openly, according to the defensibility post?",
            "the defensibility post",
            "Why did Meta release Llama openly",
        ),
        # or opens with it
        (
            "According to the podcast digest, what decides who wins in AI now?",
            "the podcast digest",
            "what decides who wins in AI now?",
        ),
        (
            "In the Sovereignty chapter, what should EU buyers do?",
            "the Sovereignty chapter",
            "what should EU buyers do?",
        ),
        ("In the long run, what wins?", None, "In the long run, what wins?"),  # no document
        ("What happens in the morning?", None, "What happens in the morning?"),  # no document
        ("what is in the booklet?", None, "what is in the booklet?"),  # nothing asked besides
    ],
)
def test_the_document_a_question_says_to_answer_from_is_told_from_what_it_asks(question, source, rest):
    assert source_named(question) == source
    assert without_source(question) == rest


@pytest.mark.parametrize(
    ("question", "covered"),
    [
        # the podcast names GPT-5.4 nano's price hike but gives no price
        ("What does GPT-5.4 nano cost per million input tokens?", False),
        ("How many tokens fit in GPT-5.4 mini's context window?", False),
        # a price given with the version named: "Claude Sonnet 4.6 at $3 input / $15 output ..."
        ("How much does an hour of work by a Sonnet 4.6 agent cost?", True),
        # asks why, not how much
        ("Why was the pricing of OpenAI's smallest new GPT-5.4 model surprising?", True),
        ("What was surprising about the pricing of GPT-5.4 nano?", True),
        ("Why is the cost per token of GPT-5.4 nano higher?", True),
        ("So why is the cost per token of GPT-5.4 nano higher?", True),
        # no version: a prefix with a year, a date
        ("How much did AI spending grow post-2023?", True),
        ("How many enterprises did Omdia survey in October 2025?", True),
    ],
)
async def test_an_amount_asked_of_a_version_no_passage_gives_it_of_is_refused(corpus_services, question, covered):
    prepared = await corpus_services.answers.examine(question)
    assert prepared.coverage.covered is covered, prepared.coverage
    if not covered:
        assert prepared.coverage.reason == "no passage gives a figure of GPT 5.4"


@pytest.mark.parametrize(
    ("question", "covered"),
    [
        # the sentence naming Mistral Medium 3.5 gives money, but no rate: "Mistral’s $400M ARR ... at a $13.8B valuation"
        ("What does Mistral charge per million output tokens for Mistral Medium 3.5?", False),
        # rates: "$5 input / $25 output per million tokens", "$0.71 per million output tokens", "$0.002 per 1K tokens"
        ("How much does Opus 4.7 cost per million tokens?", True),
        ("How much does Llama 3.3 70B via Groq cost per million output tokens?", True),
        ("What did GPT-3.5 cost per 1K tokens?", True),
        # what one company charges: a rate a sentence about it gives ("Premium pricing: $3–6 per million tokens" under
        # “Enterprise Model: Anthropic’s Strategy”; "DeepSeek V4-Pro ... at $0.28 input / $2.48 output per million
        # tokens"); Mistral's sentences give its "$400M ARR" and "$13.8B valuation", no rate
        ("How much does Anthropic charge?", True),
        ("how much does DeepSeek charge per million tokens?", True),
        ("How much does Mistral charge?", False),
    ],
)
async def test_a_price_asked_per_unit_of_a_version_is_covered_by_a_rate_written_beside_it(
    corpus_services, question, covered
):
    prepared = await corpus_services.answers.examine(question)
    assert prepared.coverage.covered is covered, prepared.coverage


async def test_how_long_it_took_is_an_amount_asked_of_what_was_done(corpus_services):
    # "Elon Musk’s xAI deployed Colossus — a cluster of 100,000 GPUs — in just 122 days in late 2024": "take" only
    # asks for the time
    prepared = await corpus_services.answers.examine("How long did it take xAI to deploy Colossus?")
    assert prepared.coverage.covered, prepared.coverage


@pytest.mark.parametrize(
    ("question", "covered"),
    [
        # "The NYT v. OpenAI multi-district litigation had summary judgment due in April 2026": no ruling
        ("Did the court rule against OpenAI in the New York Times copyright case?", False),
        # "Meta’s reported consideration of using Google and OpenAI models": no deal
        ("Did Meta end up signing a deal to use Google's Gemini models?", False),
        # the same asked with a question word ("what was the outcome of", "what came of")
        ("What was the outcome of the summary judgment in the New York Times case against OpenAI?", False),
        ("What came of the White House workaround for Anthropic models?", False),
        # ... and how it was decided, ruled or resolved
        ("How was the New York Times' summary judgment against OpenAI decided?", False),
        ("How did the judge rule on summary judgment in the Times' lawsuit against OpenAI?", False),
        # what came after something not yet released, or delayed: "in limited testing with cybersecurity defenders as of
        # Q1 2026", "The delay in Meta's "Avocado" model rollout ..."
        ("Did Anthropic release Mythos to everyone after its testing phase?", False),
        ("What happened to the Avocado model after Meta delayed it?", False),
        # ... not what came after something that happened: "Amazon's stock fell 94% ..."
        ("What happened to Amazon's stock after the dot-com crash?", True),
        # how things end up, asked of what the corpus says happens: "... end up wanting such different things"
        ("How do consumers and enterprises end up wanting different things from AI?", True),
        # what happened is stated: "OpenAI completed pre-training of GPT-6"
        ("Did OpenAI complete pre-training of GPT-6?", True),
        # the plan itself is asked
        ("Was the White House reportedly developing a workaround for Anthropic models?", True),
        ("Did Meta actually consider using Google and OpenAI models?", True),
        # what is pending is in another clause ("... — roughly three years before its expected public launch")
        ("Was GPT-6 actually pre-trained at the Abilene Stargate facility?", True),
        # "reportedly overtook": a report of what happened
        ("Did Anthropic actually overtake OpenAI on business adoption?", True),
    ],
)
async def test_how_something_turned_out_is_refused_where_the_corpus_reports_it_pending(
    corpus_services, question, covered
):
    prepared = await corpus_services.answers.examine(question)
    assert prepared.coverage.covered is covered, prepared.coverage
    if not covered:
        assert prepared.coverage.reason == "the corpus reports it as pending, not how it turned out"


async def test_how_it_turned_out_asked_in_a_conversation_is_of_what_the_conversation_asked_about(corpus_services):
    # "so how did the judge rule?" after the copyright litigation against OpenAI: the New York Times case's ruling
    # ("summary judgment due in April 2026"), which the corpus reports as pending; not Judge Rita Lin's words
    history = [
        {
            "role": "user",
            "content": "What copyright litigation does the From Lab to Production chapter mention against OpenAI?",
        },
        {
            "role": "assistant",
            "content": "The New York Times v. OpenAI multi-district litigation, with summary judgment due.",
        },
    ]
    answer = await corpus_services.answers.ask("so how did the judge rule?", history=history)
    assert not answer.supported, answer.answer


concept_judge = CoverageJudge(
    [
        chunk("The Jevons paradox in AI: cheaper tokens raise total use. The Abilene Stargate site is in Texas."),
        chunk(
            "The MAYA (Most Advanced Yet Acceptable) principle tells us there are limits. Christensen’s law is ours."
        ),
        chunk("The EU AI Act's high-risk obligations slipped. The Telecommunications Act of 1996 opened the markets."),
    ]
)


@pytest.mark.parametrize(
    ("question", "unnamed"),
    [
        ("What is the Abilene paradox?", "Abilene paradox"),  # both words are the corpus's, the concept is not
        ("what exactly is amara's law, and is it the hype cycle?", "amara's law"),
        ("How does the Eisenhower matrix help us prioritise?", "Eisenhower matrix"),
        ("What is the Jevons paradox?", None),
        ("explain the jevons-paradox", None),
        ("MAYA principle", None),  # written with its expansion in parentheses between
        ("What is Christensen's law?", None),
        ("Why is this a paradox?", None),  # no concept named
        # a word that names no one: "the net effect", "the main principle", "this principle", "US law"
        ("What is the net effect of cheaper tokens on total compute demand?", None),
        ("What's the main principle behind blitzscaling?", None),
        ("What does this principle mean for startups?", None),
        ("Does US law restrict selling AI chips to China?", None),
        ("Why do the Amara's laws matter?", "Amara's laws"),
        # named by a word the corpus never uses, wherever it stands; a theory or framework only so
        ("grandfather paradox explained simply", "grandfather paradox"),
        ("bcg matrix - what's a cash cow?", "bcg matrix"),
        # ... or by the capitalised word before the words that name it: "growth-share" is two words the corpus uses
        ("Where would Meta sit on the BCG growth-share matrix?", "BCG growth-share matrix"),
        ("Where would Meta sit on the Jevons paradox?", None),
        ("Summarize key principles of blitzscaling", None),  # the message's first word, before a principle
        ("According to Coase's theory of the firm, why do firms exist?", "Coase's theory"),
        ("What does Christensen's theory say?", None),
        ("What's the underlying theory of the flywheel?", None),  # a word that describes
        ("What's the guiding principle of blitzscaling?", None),  # a principle, law or effect: asked of the corpus
        ("Is there a snowball effect?", None),
        ("Why are the smallest models pricier?", None),  # no model of another field
        # a law: its name is the words in capitals before "Act", not the question's first word
        ("What obligations does the Colorado AI Act put on deployers?", "Colorado AI Act"),
        ("Explain Colorado AI Act obligations.", "Colorado AI Act"),
        ("I'd like to know more about the EU Digital Markets Act", "EU Digital Markets Act"),
        ("How is US CHIPS Act money shaping GPU clusters?", "US CHIPS Act"),
        ("Does EU AI Act apply to chatbots?", None),
        ("When do EU AI Act Annex III obligations apply?", None),
        ("What does the European AI Act require?", None),  # the European Union's: the EU's
        ("What did the Telecommunications Act of 1996 change?", None),
        ("Act as my advisor: should we slow down?", None),  # no law
    ],
)
def test_a_named_concept_the_corpus_never_writes_is_unnamed(question, unnamed):
    assert concept_judge.concept_unnamed(question) == unnamed


async def test_a_framework_of_another_field_named_like_a_corpus_concept_is_refused(corpus_services):
    question = "What is the Abilene paradox, and how do I keep my team out of it?"
    answer = await corpus_services.answers.ask(question)
    prepared = await corpus_services.answers.examine(question)
    assert not answer.supported and answer.citations == []
    assert prepared.coverage.reason == "the corpus never mentions Abilene paradox"


async def test_how_a_named_current_bears_on_another_is_no_topic_it_never_discusses(corpus_services):
    judge = corpus_services.answers._coverage_judge()
    retriever = corpus_services.retriever
    assert off_topic("how does the Efficiency Revolution current affect Sovereignty?", retriever, judge) is None
    refused = off_topic("How does the Jevons essay affect my dog?", retriever, judge)
    assert refused is not None and refused.unknown_terms == ("dog",)


@pytest.mark.parametrize(
    ("question", "covered"),
    [("what's the MAYA principle", True), ("what's RLAIF", True), ("what's a sourdough starter?", False)],
)
async def test_a_contracted_question_word_is_no_word_one_passage_must_hold(corpus_services, question, covered):
    # "what's" is read as the words "what" and "s": no passage holds the "s" of a keyword query; looked up as "what is
    # a sourdough starter?", a question about words the corpus never uses stays refused
    prepared = await corpus_services.answers.examine(question)
    assert prepared.coverage.covered is covered, prepared.coverage.reason


@pytest.mark.parametrize(
    ("question", "covered"),
    [("can you explain the AI flywheel idea", True), ("tell me about the pizza thing", False)],
)
async def test_a_generic_noun_closing_a_topic_is_no_word_one_passage_must_hold(corpus_services, question, covered):
    prepared = await corpus_services.answers.examine(question)
    assert prepared.coverage.covered is covered, prepared.coverage.reason


dated_judge_chunk = chunk(
    "Anthropic's run-rate reached $30 billion in April 2026; the Code of Practice is due in June 2026."
)
dated_judge = CoverageJudge([dated_judge_chunk])


@pytest.mark.parametrize(
    ("question", "after"),
    [
        ("What was Anthropic's ARR in December 2026?", "December 2026"),
        ("What happened to Meta's capex in 2027?", "2027"),
        ("Did the Code of Practice get signed in late 2026?", "late 2026"),
        ("How much did Nvidia earn in Q3 2026?", "Q3 2026"),
        ("What did Google announce at I/O 2027?", "2027"),
        ("What was Anthropic's ARR by the end of 2026?", "the end of 2026"),
        # a month or quarter naming what it is the time of
        ("Who won the November 2026 midterm elections and what does that mean for AI policy?", "November 2026"),
        ("Was the August 2026 deadline postponed?", None),  # a date set in advance: what the corpus wrote before
        ("What did Anthropic report in the Q3 2026 results?", "Q3 2026"),
        ("What did the February 2026 ruling decide?", None),
        # the clause that asks what happened, though another asks what comes next
        ("What was Anthropic's ARR in December 2026? Will it grow?", "December 2026"),
        # asked of now: the corpus cannot say either
        ("What is Anthropic's coding market share now, in December 2026?", "December 2026"),
        # what a document says of a later time
        ("What happens in 2028 according to the Jevons essay?", None),
        # the corpus's own months, and earlier ones
        ("What was Anthropic's run-rate in April 2026?", None),
        ("What happened in June 2026?", None),
        ("What did OpenAI raise in 2026?", None),
        # a forecast, a plan or a view of a later time is what the corpus wrote before it
        ("What did the booklet expect for 2027?", None),
        ("What was planned for 2027?", None),
        ("What will Anthropic be worth in 2027?", None),
        ("What did Anthropic say would happen in 2027?", None),
        ("What did the hyperscalers spend on capex in full-year 2027?", "full-year 2027"),
    ],
)
def test_what_happened_after_the_latest_month_the_corpus_names_is_not_covered(question, after):
    assert dated_judge.after_the_corpus(question) == after
    if after:
        found = Retrieval([SearchHit(dated_judge_chunk, 1.0)], np.zeros(3), 0.9, 0.9, 9.0)
        verdict = dated_judge.judge(question, found)
        assert not verdict.covered and verdict.after_the_corpus == after


@pytest.mark.parametrize(
    ("message", "newer"),
    [
        (
            "what's openai's annualized revenue as of this quarter? the last number i have is the $25B from february",
            True,
        ),
        ("How many AI copyright suits are pending now? The last count I saw was somewhere in the fifties.", True),
        ("Last I checked, Anthropic's run-rate was $30 billion. Is that still true?", True),
        # what a document says, which the asker may have read before
        ("Last I read, the booklet had six currents. Does it still?", False),
        # no figure seen, or no figure at all
        ("Last I heard, the Jevons paradox was about coal. Is that right?", False),
        ("The last time we saw a bubble like this was in 2000 — what happened to Amazon then?", False),
        ("What was Anthropic's run-rate in April 2026?", False),
    ],
)
def test_newer_than_what_the_asker_last_saw_is_after_the_corpus(message, newer):
    verdict = dated_judge.newer_than_seen(message)
    assert (verdict is not None) is newer
    if newer:  # the month after the latest the corpus names
        assert not verdict.covered and verdict.after_the_corpus == "July 2026"


async def test_newer_than_what_the_asker_last_saw_is_refused_however_it_is_asked(corpus_services):
    # the question alone asks the corpus's own figure; the sentence beside it says the asker has it already
    answer = await corpus_services.answers.ask(
        "How many copyright lawsuits against AI companies are pending? The last count I saw was in the fifties."
    )
    assert not answer.supported and "ends before" in answer.answer


def test_a_forecast_the_corpus_gives_for_a_later_year_is_no_time_after_it():
    # "by 2030" in the paragraph that holds the question's words: the corpus's own forecast, asked in the past tense
    forecast = replace(
        chunk("- Consumer markets consolidate around companionship. Forecasts suggest $140.7B by 2030.\n- Other line."),
        document_title="The AI Fractal Pattern of Specialization",
        section="Markets",
        section_path="Markets",
    )
    found = Retrieval([SearchHit(forecast, 1.0)], np.zeros(3), 0.9, 0.9, 9.0)
    assert dated_judge.after_the_corpus("What was the consumer market size for 2030?", found) is None
    # ... not a month the paragraph does not name, nor a year it names beside other words
    assert dated_judge.after_the_corpus("What was the consumer market size in December 2030?", found) == "December 2030"
    assert dated_judge.after_the_corpus("What did Meta spend on GPUs in 2030?", found) == "2030"
    # ... nor what came about that year, which a forecast does not answer
    assert dated_judge.after_the_corpus("What was the consumer market size actually in 2030?", found) == "2030"
    assert dated_judge.after_the_corpus("What did the consumer market size end up being for 2030?", found) == "2030"


def test_an_acronyms_plural_is_the_acronym_the_corpus_writes():
    tpu = CoverageJudge([chunk("Google's TPU development avoids NVIDIA dependency.")])
    assert tpu.unknown_terms("Why does Google build TPUs instead of buying GPUs?") == ["GPUs"]
    assert tpu.unknown_terms("Why does Google build TPUs?") == []


def test_the_front_matters_publication_and_author_are_words_the_corpus_writes():
    essay = replace(chunk("Speed beats efficiency."), publication="FourWeekMBA", author="Gennaro Cuofano")
    assert CoverageJudge([essay]).unknown_terms("What do the FourWeekMBA essays by Cuofano say?") == []


@pytest.mark.parametrize(
    ("question", "unreported"),
    [
        ("What does Reid Hoffman say about AI safety?", "Reid Hoffman"),
        # the view it reports: beside the name, or in the paragraph beside it (a quote's attribution line)
        ("What does Reid Hoffman say about blitzscaling?", None),
        ("What did Mark Zuckerberg say about GPUs?", None),
        # a document or a company asked: other rules' questions
        ("What does the Jevons essay say about AI safety?", None),
    ],
)
def test_a_persons_view_the_corpus_never_reports_is_unreported(question, unreported):
    hoffman = chunk(
        "Reid Hoffman’s blitzscaling philosophy prioritises speed over efficiency.\n"
        "“We will have 350,000 GPUs by the end of the year.”\n— Mark Zuckerberg"
    )
    assert CoverageJudge([hoffman]).view_unreported(question) == unreported


@pytest.mark.parametrize(
    ("question", "owner"),
    [
        ("Does Anthropic have Teece's dynamic capabilities?", "Teece"),
        ("Is this Solow's productivity paradox all over again?", "Solow"),
        ("wright's law for inference prices: what's the decline per doubling?", "wright"),  # lowercase, before a law
        ("What is Christensen's law?", None),  # someone the corpus names
        ("what does the chatbot maker's revenue look like?", None),  # lowercase, naming no concept: describes
        ("As a CFO, what is my CFO's view?", None),  # a role
        ("Devil's advocate: why might Christensen's law fail?", None),  # capitalised as the message's first word
        ("How would Wall Street's reaction play out?", None),  # the last word of a longer name
        ("How does AI threaten a newspaper's business model?", None),  # a model: no concept of another field
        # a concept's head after it makes even the message's first word a name
        ("Baumol's cost disease - what happens to wages for work agents can't do?", "Baumol"),
        ("Porter's five forces for foundation model labs", "Porter"),
    ],
)
def test_someone_the_corpus_never_mentions_named_in_the_possessive_is_unnamed(question, owner):
    assert concept_judge.owner_unnamed(question) == owner


@pytest.mark.parametrize(
    ("message", "named"),
    [
        # the scene a message sets, which the guard leaves out of what it asks
        ("Amara's law says we overestimate tech in the short run. How does that square with the hype cycle?", "Amara"),
        (
            "The Abilene paradox came up at our offsite. What does the booklet say about group decisions?",
            "Abilene paradox",
        ),
        # someone named with no concept: context, not what is asked
        ("Bob's notes from the offsite: what does the booklet say about Sovereignty?", None),
        ("Notes from Teece's talk: how does blitzscaling apply to GPUs?", None),
    ],
)
def test_a_concept_named_in_the_scene_a_message_sets_is_found(message, named):
    assert concept_judge.named_in_context(message) == named


@pytest.mark.parametrize(
    ("question", "refused"),
    [
        # one document named, asked an amount none of its best passages gives
        ("How many employees does Anthropic have, according to the strategic mismatch essay?", True),
        ("What gross margin does the monetization efficiency essay give for Anthropic?", True),
        # ... and amounts they give: in figures, or a count in words ("a single question")
        ("How many GPUs does Meta want, according to the blitzscaling essay?", False),
        ("In the Continued Scaling current, how much did the big hyperscalers spend on capex in 2024?", False),
        ("In the trigger drill worksheet, how many questions am I supposed to answer for each current?", False),
        # "... do you answer for each current" is no name of a document the amount is asked of
        ("In the trigger drill worksheet, how many questions do you answer for each current?", False),
        # an amount in a clause of its own only: this asks what limits it
        ("In the monetization efficiency essay, what puts a ceiling on how much each consumer ends up paying?", False),
        # a count of the document's own parts, and figures of any kind
        ("How many stages does the hype cycle essay describe?", False),
        ("What numbers does the monetization efficiency essay give?", False),
        ("How many GPUs does Meta want?", False),  # no document named: the classifier's to judge
    ],
)
def test_an_amount_asked_of_a_named_document_that_gives_none_is_refused(corpus_services, question, refused):
    verdict = figure_unstated(question, corpus_services.retriever)
    assert (verdict is not None) is refused, verdict
    if refused:
        assert not verdict.covered and "gives no such figure" in verdict.reason


def test_coverage_features_read_the_plain_ranking(corpus_services):
    from dataclasses import replace

    judge = corpus_services.answers._coverage_judge()
    question = "what happens to total spending when compute gets cheaper?"
    found = corpus_services.retriever.retrieve(question, 5, adapt=False)  # one ranking, the plain one
    plain = judge.features(question, found, [])
    shuffled = replace(found, hits=list(reversed(found.hits)), plain_hits=found.hits)
    assert judge.features(question, shuffled, []) == plain
    assert judge.features(question, replace(shuffled, plain_hits=None), []) != plain  # the hits would have changed them


@pytest.mark.parametrize(
    ("question", "covered"),
    [
        # “Enterprise Model: Anthropic's Strategy” heads one of the best passages for Anthropic and making money
        ("How does Anthropic make money?", True),
        # something more specific than how it goes about its business
        ("How many employees does Anthropic have?", False),
        ("How does Perplexity make money?", False),  # a company the corpus never names
        # where a company stands: “Datacenter—Training and Inference” names NVIDIA five times ("NVIDIA is currently
        # king with the best hardware and a software network effect")
        ("What's NVIDIA's moat?", True),
        ("Can NVIDIA stay on top?", True),
        ("What's Apple's moat?", False),  # no passage about Apple
        ("What's Tesla's moat?", False),
        # and what of the company's it stands on, which the passage about it must hold ("(e.g., CUDA)")
        ("What is NVIDIA's CUDA moat?", True),
        ("What is OpenAI's Sora strategy?", False),  # a word the corpus never writes
    ],
)
async def test_how_a_company_goes_about_its_business_or_stands_is_covered_by_a_passage_about_it(
    corpus_services, question, covered
):
    prepared = await corpus_services.answers.examine(question)
    assert prepared.coverage.covered is covered, prepared.coverage


@pytest.mark.parametrize(
    ("question", "document"),
    [
        ("What does the architecture essay say about infrastructure?", "ai-technical-architecture-divergence"),
        ("what does the podcast think about pricing?", "last-week-in-ai-arms-race"),
        ("What does the booklet say about DeepSeek?", None),  # a whole work
        ("Is Llama mentioned in the platform paradox essay?", None),  # where it is mentioned, not what it says
        ("What does Jensen Huang say about CUDA?", None),  # no document
    ],
)
def test_the_document_asked_what_it_says_is_the_one_named_before_it_says(corpus_services, question, document):
    assert document_said(question, corpus_services.retriever) == document


@pytest.mark.parametrize(
    ("text", "word_query"),
    [
        ("sovereign AI for a German bank", True),
        ("nvidia cuda moat", True),
        ("what is sovereign AI for a German bank", False),
        ("tell me about sovereign AI", False),
        ("sovereign AI for a German bank?", False),  # asked as a question
    ],
)
def test_a_query_of_words_is_no_question_nor_request(text, word_query):
    assert is_word_query(text) is word_query


@pytest.mark.parametrize(
    ("question", "covered"),
    [
        # a sentence gives an amount of money and names everyone asked about
        ("How much did OpenAI spend to train GPT-4?", True),  # $63–100 million
        ("How much did Meta pay for AI infrastructure?", True),  # $14.8 billion
        # the corpus names no deal of theirs ("Scale", "AI" and "Meta" are corpus words)
        ("How much did Meta pay for its stake in Scale AI?", False),
        ("What did Microsoft pay for Nokia's phone business?", False),
        # what a document says people pay for is no payment asked
        ("What did the Defensibility essay say customers will pay a premium for?", True),
    ],
)
async def test_what_someone_paid_is_covered_only_where_a_sentence_gives_the_sum(corpus_services, question, covered):
    prepared = await corpus_services.answers.examine(question)
    assert prepared.coverage.covered is covered, prepared.coverage
    if not covered:
        assert prepared.coverage.reason == "no passage gives what was paid"


@pytest.mark.parametrize(
    ("query", "covered"),
    [
        # a sentence holds the query's words and a year or a month: when it happened
        ("muse spark launch date", True),  # “on April 8, Meta launched Muse Spark”
        ("open-closed parity date", True),  # “One analysis projected open-closed parity by Q2 2026.”
        # the words are in the corpus, the date is not: GPT-6's pre-training ended, its release is not told
        ("gpt-6 release date", False),
        ("avocado release date", False),
    ],
)
async def test_a_keyword_query_for_a_date_is_covered_where_a_sentence_dates_it(corpus_services, query, covered):
    prepared = await corpus_services.answers.examine(query)
    assert prepared.coverage.covered is covered, prepared.coverage


@pytest.mark.parametrize(
    ("question", "covered"),
    [
        # the post is written beside what the question names, and no name near it: "then lost an appeals court bid in
        # early April", "the US Defense Secretary designated Anthropic"
        ("Which appeals court ruled against Anthropic in the supply-chain-risk case?", False),
        ("Who is the Defense Secretary who designated Anthropic a supply chain risk?", False),
        # a name beside the post: "(Judge Rita Lin called the designation “Orwellian” ...)", "Sequoia partner David Cahn"
        ("Which judge called the designation Orwellian?", True),
        ("Who is the Sequoia partner who asked AI's $600B question?", True),
        # what someone's company is called, where the sentence about them writes no company ("Prolific engineer George
        # Hotz ... is actively building software tooling ...")
        ("What's the name of George Hotz's company?", False),
        ("George Hotz builds tooling for non-NVIDIA GPUs - what's his company called?", False),
    ],
)
async def test_which_one_holds_a_post_is_covered_only_where_a_name_is_written_beside_it(
    corpus_services, question, covered
):
    prepared = await corpus_services.answers.examine(question)
    assert prepared.coverage.covered is covered, prepared.coverage


@pytest.mark.parametrize(
    ("question", "covered"),
    [
        # who runs, heads or founded an organisation, which no passage writes beside a name: the corpus names no founder
        # and no chief of these
        ("Who is OpenAI's CEO?", False),
        ("who founded Anthropic?", False),
        ("Who runs Google DeepMind?", False),
        ("Who is running Microsoft's AI division after the restructuring?", False),
        ("who was running Pets.com in the Financial Correction chapter?", False),
        # ... which a passage does: "Mistral CEO Arthur Mensch", "from Meta Superintelligence Labs under Alexandr Wang"
        ("Who is Mistral's CEO?", True),
        ("Who is Mistral's CEO according to the Efficiency Revolution chapter?", True),
        ("Who runs Meta Superintelligence Labs?", True),
        # who runs a thing, not an organisation: the defensibility post's "Hosting—Who runs the hardware?"
        ("Who runs the hardware in the AI stack?", True),
    ],
)
async def test_who_runs_or_founded_an_organisation_is_covered_only_where_a_name_is_written_beside_the_post(
    corpus_services, question, covered
):
    prepared = await corpus_services.answers.examine(question)
    assert prepared.coverage.covered is covered, prepared.coverage
    if not covered:  # by the rule, not by the classifier's reading of the topic
        assert prepared.coverage.reason == "no passage names who or which it is"


@pytest.mark.parametrize(
    ("sentence", "named"),
    [
        ("Anthropic won an injunction (Judge Rita Lin called it “Orwellian”).", True),
        ("Anthropic then lost an appeals court bid in early April.", False),  # a month is no name
        ("On February 27, the US Defense Secretary designated Anthropic.", False),  # a place, and the question's name
        ("Anthropic lost an appeals court bid. The ruling stands.", False),  # the next sentence's first word
    ],
)
def test_a_name_near_a_post_is_a_capitalised_word_the_question_does_not_write(sentence, named):
    post = content_words("judge court appeals secretary")
    assert _name_near(sentence, post, {"anthropic", "defense"}) is named


@pytest.mark.parametrize(
    ("heading", "about"),
    [("OpenAI’s Dilemma", True), ("The OpenAI Predicament", True), ("OpenAI’s Recent Statement", False), (None, False)],
)
def test_a_heading_is_about_a_name_with_at_most_one_word_more(heading, about):
    assert heading_about("OpenAI", heading) is about


@pytest.mark.parametrize(
    ("question", "company"),
    [
        ("What should OpenAI do?", "OpenAI"),
        ("so what should Meta do next?", "Meta"),
        ("what should openai do?", "openai"),  # a company however typed
        ("What should I do?", None),  # the asker, no company
        ("What should OpenAI do about pricing in Europe?", None),  # more than what it should do
    ],
)
def test_the_company_a_question_asks_what_it_should_do(question, company):
    assert company_to_advise(question) == company
