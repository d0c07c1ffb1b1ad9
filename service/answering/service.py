"""AnswerService: retrieve, decide coverage, answer (extractive or through the LLM layer), verify citations."""

from __future__ import annotations

import re
import time
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, replace
from typing import Any, TypeVar

import numpy as np
from starlette.concurrency import run_in_threadpool

from service.answering import entities
from service.answering.acronym import acronym_asked, expansion_passage
from service.answering.citations import CitationVerifier, VerifiedAnswer
from service.answering.coverage import (
    CURRENT_ABOUT,
    FIGURE_PASSAGES,
    Coverage,
    CoverageJudge,
    CoverageModel,
    FigureAsked,
    acronym_expanded,
    advice_for,
    booklet_use,
    chapter_called,
    company_passage,
    company_strategy,
    company_to_advise,
    current_chosen,
    described_words,
    document_said,
    document_words,
    documents_called_in,
    figure_unstated,
    heading_about,
    implications_for_reader,
    is_word_query,
    measure_words,
    off_topic,
    on_topic,
    one_document_called,
    originator_named,
    reader_context,
    recommendations_asked,
    recommended_by,
    section_for,
    section_named,
    source_named,
)
from service.answering.extractive import (
    AskedPart,
    ExtractiveAnswerer,
    asked_current_parts,
    document_asked,
    shown_sentences,
)
from service.answering.followup import (
    Context,
    FollowUpRewriter,
    asked_last,
    common_words,
    conversation_context,
    follows_on,
    goes_on,
    has_topic,
    joined_parts,
    names_nothing,
    own_words,
    refers_back,
    topic_words,
)
from service.answering.guard import describes_asker, guard_question
from service.answering.library import (
    KIND_NOUNS,
    about_work,
    catalogue,
    kind_mentioning,
    library_asked,
    mentioning,
    mentions_asked,
    work_called,
    works,
    works_by,
)
from service.answering.origin import IDEA_PASSAGES, lowercase_words, origin_asked, originator_passage
from service.answering.prompts import PromptLibrary
from service.answering.question_form import by_position, classify, conclusion_asked, current_parts
from service.answering.sentence_model import ADAPTED_MODEL_FILE, SentenceModel
from service.answering.spelling import Speller
from service.contracts import Answer, AnswerEvent, AnswerMode, Citation, CitationsEvent, Usage
from service.corpus.chunking import Chunk
from service.corpus.current_parts import TRIGGER_SECTION
from service.llm.catalog import EXTRACTIVE, ModelCatalog
from service.llm.gateway import AllModelsFailedError, Completion, LLMGateway
from service.observability import tracing
from service.observability.metrics import RETRIEVAL_SECONDS, record_answer
from service.request_frame import is_request, without_answer_style, without_request
from service.retrieval.hybrid import HybridRetriever, Retrieval, SearchHit
from service.text import (
    content_words,
    document_references,
    indexed_words,
    listed_names,
    split_sentences,
    words_of,
)

T = TypeVar("T")

#: Passages given to a model as numbered sources.
SOURCES_FOR_MODEL = 5
#: A message that goes on with the conversation is looked for in the documents the last answer quoted when one of
#: its own best passages, this many, is of one of them, or it refers back (followup.refers_back).
CONVERSATION_HITS = 3
#: ... and answered from them when one of their passages holds at least this share of its words (by rarity).
CONVERSATION_SHARE = 0.45
#: A message refused alone is asked together with the last question when the corpus uses this share of its words (by
#: rarity): "How big was the swing in share?" (its "swing" is none), not "can you recommend a good running shoe?".
CONTINUED_KNOWN = 0.55
#: An answer in prose came from a passage holding this share of its words (IDF-weighted) ...
ANSWER_HELD = 0.5
#: ... when it has at least this many content words.
ANSWER_WORDS = 4
#: Earlier turns of a conversation passed to the model.
HISTORY_TURNS = 6


@dataclass(frozen=True)
class _Prepared:
    alias: str
    question: str  # the standalone question: instructions to the assistant removed, a follow-up resolved
    ignored: tuple[str, ...]
    retrieval: Retrieval
    coverage: Coverage
    started: float
    needs_topic: bool = False  # the question names nothing to look up ("what is it about?" with no history)
    #: the parts of currents asked for, quoted as they are ("its counter-triggers?"); empty: none
    parts: tuple[AskedPart, ...] = ()
    #: a document's conclusion is asked for: the retrieval's hits are the section it closes with
    conclusion: bool = False
    #: the answer to a question about the corpus itself ("what documents do you have?"), from its front matter
    library: VerifiedAnswer | None = None
    #: the sentences the conversation's last answer marked that a follow-up asks past (_shown_before)
    shown: frozenset[str] = frozenset()
    #: the question holds a gloss in parentheses the conversation added ("Continued Scaling (the six currents ...)")
    glossed: bool = False


#: The determiner a reference opens with: "the Jevons essay", "this booklet".
_DETERMINER = re.compile(r"^(?:the|this|that)\s+", re.IGNORECASE)
#: A reference that calls a current, a trend the booklet follows, rather than the chapter written about it.
_NOT_A_DOCUMENT = re.compile(r"\bcurrents?\b", re.IGNORECASE)
#: The fewest words of a passage that leads an answer (a chapter's framing line has five).
LEAD_WORDS = 8
#: How many chunks from a document's start its opening statement is looked for in.
OPENING_LEAD_CHUNKS = 4
#: Words of a comparison that ask nothing besides it ("compare", "how do ... differ", "the two essays").
_COMPARISON_WORDS = content_words(
    "compare contrast versus vs differ differs difference differences different agree disagree both similar similarity "
    "similarities between two essays chapters posts pieces articles currents tell give please against with relate "
    "relates related relationship connect connected connection"
)
#: The words of a question that asks only for a part of a current, besides the part: "what should I watch for?",
#: "which data sources does it use?", "and the counter-triggers?".
_ASKING_FOR_A_PART = frozenset(
    content_words(
        "what which how should would could do does did i we you one it its their they watch look track monitor keep "
        "eye out for matter matters most key main give show list tell me us use uses and also then about so ok okay "
        "please again "
        # the parts themselves (question_form.current_parts)
        "trigger triggers signal signals counter counter-trigger counter-triggers counter-signals disconfirming "
        "evidence disconfirm disprove falsify refute data source sources figures numbers come from based rely relies "
        "draw draws cite cites framing question central guiding core big opening defining"
    )
)
#: A request for what to watch: a checklist, a watch list, warning signs, which signals to watch or would show a current
#: is playing out. Not a question about the signals ("which triggers have fired?", "which indicators measure X?").
_ASKS_WHAT_TO_WATCH = re.compile(
    r"\b(?:check\s?-?lists?|watch\s?-?lists?|warning signs|early(?: warning)? signs|red flags|keep an eye on|look out for|"
    r"(?:what|which)\s+(?:signals|signs|triggers)\s+(?:(?:should|would|could|do|does|must|to)\s+)?(?:(?:i|we|you|one)\s+)?"
    r"(?:watch|monitor|track|look|say|show|tell|mean|indicate|suggest)|"
    r"what\s+(?:should|do|must)\s+(?:i|we)\s+(?:watch|monitor|track)(?!\s+in\b))\b",
    re.IGNORECASE,
)


_EMPTY_RETRIEVAL = Retrieval(
    hits=[],
    query_vector=np.zeros(0, dtype=np.float32),
    best_chunk_similarity=0.0,
    best_sentence_similarity=0.0,
    best_lexical_score=0.0,
)


class AnswerService:
    def __init__(
        self,
        retriever: HybridRetriever,
        catalog: ModelCatalog,
        gateway: LLMGateway,
        prompts: PromptLibrary,
        default_model: str,
    ):
        self._retriever = retriever
        self.catalog = catalog
        self._gateway = gateway
        self._prompts = prompts
        self._default_model = catalog.resolve(default_model, default_model)
        self._verifier = CitationVerifier()
        self.tracer = tracing.default_tracer()  # the app's own when it traces (observability/tracing.py)
        self.extractive = ExtractiveAnswerer(
            retriever, sentence_model=SentenceModel(), adapted_sentence_model=SentenceModel(ADAPTED_MODEL_FILE)
        )
        self._followups = FollowUpRewriter(gateway, prompts)
        #: What is built from the loaded index once (_of_index), by name: (the index and key, the thing built).
        self._per_index: dict[str, tuple[tuple[object, ...], Any]] = {}
        #: The coverage classifier; None: the trained one shipped in coverage_model.json.
        self.coverage_model: CoverageModel | None = None

    # --- the steps -------------------------------------------------------------------------

    def _of_index(self, name: str, build: Callable[[list[Chunk]], T], *key: object) -> T:
        """What `build` makes of the loaded index's chunks, built once per index (and per `key`) and kept under
        `name`: the coverage judge, the corpus's common words, the typo corrector."""
        active = self._retriever.active
        index = (active.collection if active else "", *key)
        built = self._per_index.get(name)
        if built is None or built[0] != index:
            built = self._per_index[name] = (index, build(self._retriever.chunks))
        return built[1]

    def _coverage_judge(self) -> CoverageJudge:
        model = self.coverage_model
        aliases = self._retriever.aliases
        return self._of_index("judge", lambda chunks: CoverageJudge(chunks, model, aliases), id(model))

    async def examine(self, question: str, model: str | None = None, history: list[dict] | None = None) -> _Prepared:
        """The steps before answering (guard, follow-up, retrieval, coverage), for evals and tuning."""
        return await self._prepare(question, model, history)

    def _speller(self) -> Speller:
        """The typo corrector of the loaded index's words."""
        return self._of_index("speller", Speller)

    def _common_words(self) -> frozenset[str]:
        """Words common all over the corpus: a question made only of them names no subject (follow-up detection)."""
        return self._of_index("common", common_words)

    async def _prepare(
        self, question: str, model: str | None, history: list[dict] | None, *, topic: bool = False
    ) -> _Prepared:
        started = time.perf_counter()
        alias = self.catalog.resolve(model, self._default_model)
        guarded = guard_question(question)
        if guarded.question:  # "whats the platfrom paradox": searched and judged as "platform", as are earlier turns
            speller = await run_in_threadpool(self._speller)  # built on the first question after each index load
            guarded = replace(
                guarded, question=speller.corrected(guarded.question), asks=speller.corrected(guarded.asks)
            )
            history = [
                {**t, "content": speller.corrected(str(t.get("content") or ""))} if t.get("role") == "user" else t
                for t in history or []
            ] or None
        if not guarded.question and guarded.ignored:
            return _Prepared(
                alias,
                "",
                guarded.ignored,
                _EMPTY_RETRIEVAL,
                Coverage(False, "the message holds only instructions to the assistant"),
                started,
            )
        # A follow-up ("why?", "what about its triggers?") is made standalone from the conversation, by the model in
        # generated mode; the standalone question is what retrieval, coverage and the answer see.
        question = self._current_of_conversation(guarded.question, history)
        if question == guarded.question:  # "what triggers should I watch for?" asked of the current named: standalone
            question = await self._followups.standalone(
                guarded.question,
                self._without_parts_asked(history),
                None if alias == EXTRACTIVE else alias,
                self._common_words() if history else frozenset(),
            )
        follows = question != guarded.question  # made standalone from the conversation
        # Names in pasted context ("Q3 review: ...") are not what is asked: coverage judges the question itself.
        # Unless the question leans on that context: "Both essays describe a loop between compute and customers. How
        # does each frame it?", "I'm planning to bolt an assistant onto our app. What does the essay think of that?".
        asked = (
            guarded.asks
            if question == guarded.question and has_topic(guarded.asks) and not _leans_on_context(guarded.asks)
            else question
        )
        # How to answer is not what is asked: "explain like I'm five what RAG is" is judged and searched as "what RAG is".
        asked = without_answer_style(asked)
        library = self._about_library(asked)
        if library is not None:  # "what documents do you have?", "who wrote the Jevons essay?": from the front matter
            answer, reason = library  # what the front matter does not record is said, uncovered
            coverage = Coverage(not answer.refused, reason)
            return _Prepared(alias, question, guarded.ignored, _EMPTY_RETRIEVAL, coverage, started, library=answer)
        overview = self._overview_of(asked)
        if overview is not None:  # "summarise the booklet": the document is the subject, found by its own name
            retrieval = await run_in_threadpool(
                self._retriever.retrieve, question, SOURCES_FOR_MODEL, document=overview
            )
            return _Prepared(alias, question, guarded.ignored, retrieval, self._overview_covered(overview), started)
        concluded = self._conclusion_of(asked)
        if concluded is not None:  # "what does the flywheel essay conclude?": the section it closes with
            document, closing = concluded
            retrieval = await run_in_threadpool(
                self._retriever.retrieve, question, SOURCES_FOR_MODEL, document=document
            )
            retrieval = replace(retrieval, hits=[SearchHit(c, 1.0) for c in closing[:SOURCES_FOR_MODEL]])
            title = self._retriever.documents().get(document, document)
            coverage = Coverage(True, f"asks what “{title}” concludes")
            return _Prepared(alias, question, guarded.ignored, retrieval, coverage, started, conclusion=True)
        parts = asked_current_parts(self._retriever, asked)
        if parts:  # "what are the counter-triggers of the Sovereignty current?": that part, quoted
            # One current: the search is kept to its chapter; several: the question's own search.
            current = parts[0].current if len(parts) == 1 else None
            retrieval = await run_in_threadpool(self._retriever.retrieve, question, SOURCES_FOR_MODEL, current=current)
            holding = list(dict.fromkeys(chunk for part in parts for chunk, _, _ in part.spans))
            hits = [SearchHit(c, 1.0) for c in holding] + [h for h in retrieval.hits if h.chunk not in holding]
            retrieval = replace(retrieval, hits=hits[:SOURCES_FOR_MODEL])
            coverage = Coverage(True, _parts_asked(parts))
            return _Prepared(alias, question, guarded.ignored, retrieval, coverage, started, parts=tuple(parts))
        current = self._watch_list_of(asked)
        if current is not None:  # "give me a checklist for sovereignty risk": that current's trigger signals, whole
            listed = f"What are the trigger signals of the {current} current?"
            retrieval = await run_in_threadpool(self._retriever.retrieve, listed, SOURCES_FOR_MODEL, current=current)
            coverage = Coverage(True, f"asks what to watch for the {current} current")
            # The extractive answer quotes the list; a model keeps the user's words ("... as a table, in French").
            return _Prepared(
                alias, listed if alias == EXTRACTIVE else question, guarded.ignored, retrieval, coverage, started
            )
        if not has_topic(question):  # nothing to look up: say how to ask rather than quote arbitrary passages
            return _Prepared(
                alias,
                question,
                guarded.ignored,
                _EMPTY_RETRIEVAL,
                Coverage(False, "the question names no subject"),
                started,
                needs_topic=True,
            )
        # Searched without the request around it: "tell me about re-bench" finds what "re-bench" finds.
        styled_off = without_answer_style(question)  # "explain like I'm five why ...": "why ..."
        searched = without_request(styled_off)
        retrieval = await run_in_threadpool(self._retrieve, searched, styled_off)
        compared = self._comparison_of(asked)
        if compared:  # "compare the Jevons and flywheel essays": the documents are the subject, found by their names
            titles = self._retriever.documents()
            coverage = Coverage(True, "asks to compare " + " and ".join(f"“{titles.get(d, d)}”" for d in compared))
            retrieval = await run_in_threadpool(self._led_by, retrieval, searched, compared, question)
            return _Prepared(alias, question, guarded.ignored, retrieval, coverage, started)
        # Coverage is judged on what it was tuned on: the passages as the plain embedding ranks them (which the mapped
        # search ranked too), refined by the same rules.
        judged = await run_in_threadpool(self._plain_of, retrieval, searched, styled_off)
        coverage = await run_in_threadpool(self._judge_coverage, asked, judged, topic, question)
        if coverage.below_threshold and not topic and asked != styled_off and describes_asker(question):
            # who asks ("As a VC analyst, ...", "I'm a startup founder hunting for an opening ... — where ...?") can hide
            # what they ask from the classifier, which reads the passages the whole message finds: what is asked,
            # searched alone, may be covered; then it is answered from that search, the passages the verdict read
            alone_query = without_request(asked)
            alone = await run_in_threadpool(self._retrieve, alone_query, asked)
            read = await run_in_threadpool(self._plain_of, alone, alone_query, asked)
            again = await run_in_threadpool(self._judge_coverage, asked, read, topic, question)
            if again.covered and again.classified:
                coverage = replace(again, reason=f"{again.reason} once who asks is set aside")
                retrieval = alone
        if coverage.covered and (unknown := self._unknown_in_follow_up(question, guarded.question)):
            # "How much does an Opus 4.7 agent-hour cost? — what about a junior developer in India?": judged together,
            # the last question carries it; India is what it asks about, and the corpus never mentions it
            coverage = Coverage(False, f"the corpus never mentions {', '.join(unknown)}", tuple(unknown))
        carries = not coverage.covered and not topic and not coverage.unknown_terms
        # the last turn, read once for the carry below and for what a follow-up asks past
        last = await run_in_threadpool(self._last_turn, history) if history and (carries or follows) else None
        if carries and last is not None and not self._figure_ungiven(question, judged):
            # "and how did Amazon make it through?" after the dot-com lesson: asked in the conversation (not "and what
            # did Jeff Bezos say to his employees?": never mentioned); a message made standalone and refused so ("is
            # it working?" as "is blitzscaling working?") is carried as it was sent
            sent = guarded.question
            carried = await run_in_threadpool(self._asked_in_conversation, sent, judged, last)
            if carried is not None:
                retrieval, coverage, follows = *carried, True
            elif (continued := await run_in_threadpool(self._continued_in_conversation, sent, last)) is not None:
                # "How big was the swing in share?" after why OpenAI lost enterprise to Anthropic: asked with it
                question, retrieval, coverage = continued
                follows = True
        elif coverage.covered and not coverage.classified:
            # a rule's verdict stands on the passages it read ("what should workers do?": “For Workers”)
            retrieval = judged
        if (
            history
            and coverage.covered
            and not follows  # asked as sent: neither rewritten nor carried by the conversation above
            and not topic
            and (goes_on(question) or (names_nothing(question) and not self._retriever.named_documents(question)))
            and coverage.about is None
            and not document_references(question)
        ):
            # "ok so what should the tooling vendors do?" after the defensibility post's view of infrastructure, or one
            # that names nothing of its own ("what keeps those customers from switching back?" after why OpenAI lost
            # enterprise to Anthropic): covered alone, by passages of other documents too; the conversation's documents
            # cover it. Not a message that names a document or its subject ("what is the innovator's dilemma?")
            last = last or await run_in_threadpool(self._last_turn, history)
            kept = await run_in_threadpool(self._kept_in_conversation, question, retrieval, last) if last else None
            if kept is not None:
                retrieval, follows = kept, True
        # the booklet's chapters: those `on_topic` found the topic in, or those a covered question calls; or the one
        # document it says to answer from ("..., according to the defensibility post?"), judged on all passages
        if isinstance(coverage.about, tuple):
            work = coverage.about
        else:
            work = (
                self._work_called(question) or self._source_named(question, retrieval)
                if coverage.covered and coverage.about is None
                else ()
            )
        if isinstance(coverage.about, str):  # "what does the podcast say about Nvidia?": from the podcast
            retrieval = await run_in_threadpool(
                self._retriever.retrieve,
                searched,
                SOURCES_FOR_MODEL,
                document=coverage.about,
                adapt=False,  # a rule found the document: its passages as the rule reads them
            )
        elif work:
            # "what does the booklet say about Anthropic?": from its chapters, searched without the reference, which
            # they hardly make ("this booklet": its opening and closing chapters) or which names the first by title
            # ("the scenario planning booklet")
            retrieval = await run_in_threadpool(
                self._retrieve,
                self._without_work(searched),
                styled_off,
                work,
                mapped=coverage.classified,
            )
        if follows and last is not None and coverage.covered and not work and not isinstance(coverage.about, str):
            retrieval = await run_in_threadpool(self._follow_up_first, question, retrieval, last)
        # who an idea comes from is said by the sentence naming them, though the last answer marked it ("What is
        # blitzscaling?" then "and who came up with it?": "Reid Hoffman’s blitzscaling philosophy ...")
        shown = (
            _shown_before(guarded.question, last)
            if follows and last is not None and origin_asked(question) is None
            else frozenset()
        )
        glossed = follows and question.count("(") > guarded.question.count("(")
        return _Prepared(alias, question, guarded.ignored, retrieval, coverage, started, shown=shown, glossed=glossed)

    def _about_library(self, question: str) -> tuple[VerifiedAnswer, str] | None:
        """The answer to a question about the corpus itself, and why it is one: which documents it holds, which of them
        mention something, or who wrote a document it calls as one ("the Jevons essay", "the booklet"), when or where it
        appeared."""
        if name := mentions_asked(question):  # "Which essays talk about Meta?"
            # of the kind asked ("Which chapters mention agents?": the booklet's), else of any kind
            kind = kind_mentioning(question)
            chunks = self._retriever.chunks
            found = mentioning([c for c in chunks if c.kind == kind], name, KIND_NOUNS[kind]) if kind else None
            if found is None and (found := mentioning(chunks, name)) is not None and kind:
                found = replace(found, text=f"No {KIND_NOUNS[kind]} of the corpus mentions “{name}”. {found.text}")
            if found is not None:
                return found, f"asks which documents mention {name}"
        asked = library_asked(question)
        if asked is None:
            return None
        openings = {d: c for d in self._retriever.documents() if (c := self._retriever.opening_chunk(d))}
        all_works = works(list(openings.values()))
        if asked.kind == "catalogue":
            return catalogue(all_works, asked.works_of), "asks which documents the corpus holds"
        if asked.kind == "writer":  # "who is Gennaro Cuofano?": the works they wrote; anyone else is a question
            written = works_by(all_works, asked.reference)
            return (written, f"asks about {asked.reference}, an author of the corpus") if written else None
        # one document called as one, and nothing else: "who wrote blitzscaling?" asks about the idea's author, "who
        # wrote about Jevons in the booklet?" about a topic, "who is behind the Financial Correction current?" about a
        # trend, "who wrote the last chapter?" by its place (the last answer's)
        references = document_references(asked.reference, determined=True)
        if len(references) != 1 or _NOT_A_DOCUMENT.search(references[0]) or by_position(references[0]):
            return None
        if _DETERMINER.sub("", asked.reference) != _DETERMINER.sub("", references[0]):
            return None
        work = work_called(all_works, self._retriever.documents_called(references[0]), openings)
        if work is None:
            return None
        return about_work(work, asked.kind), f"asks the {asked.kind} of “{work.title}”"

    def _overview_of(self, question: str) -> str | None:
        """The document a question asks an overview of ("what's the podcast about?", "what is the Sovereignty
        chapter?": what a document referred to as one is), if it names one."""
        return document_asked(self._retriever, question, classify(question))

    def _overview_covered(self, document: str) -> Coverage:
        """The verdict on a question asking for an overview of the document: covered, its subject being the document."""
        title = self._retriever.documents().get(document, document)
        return Coverage(True, f"asks for an overview of “{title}”")

    def _conclusion_of(self, question: str) -> tuple[str, list[Chunk]] | None:
        """The document whose conclusion a question asks for ("what does the flywheel essay conclude?", "the bottom
        line of the podcast") and the chunks of the section it closes with, if it names one."""
        asked = conclusion_asked(question)
        if asked is None or by_position(asked.document):
            return None
        if recommended_by(question, self._retriever, self._coverage_judge()):
            return None  # "what does the podcast recommend?": its “Key Action Items”, not how it ends
        documents = self._retriever.documents_called(asked.document)
        # a work of chapters ("the booklet") concludes where its last chapter that has a conclusion does
        closing, document = next(
            ((found, d) for d in reversed(documents) if (found := self._retriever.closing_section(d))), ([], None)
        )
        if document is None:
            return None
        # "... conclude about defenders?": only when the conclusion speaks of them; else the question's own search
        if not closing or not content_words(asked.about) <= indexed_words(" ".join(c.text for c in closing)):
            return None
        return document, closing

    def _comparison_of(self, question: str) -> tuple[str, ...]:
        """The documents a question asks to compare as wholes ("compare the Jevons essay with the flywheel essay",
        "Innovator's dilemma vs strategic mismatch essays?"): each side names one, and nothing else is asked. Empty
        when a side names no document or the question asks about something besides them ("... on compute demand"),
        which the classifier judges."""
        form = classify(question)
        if form.kind != "comparison":
            return ()
        documents = tuple(dict.fromkeys(self._retriever.document_called(side) for side in form.sides))
        if len(documents) < 2 or None in documents:
            return ()
        rest = content_words(question) - content_words(" ".join(form.sides)) - _COMPARISON_WORDS
        return () if rest else tuple(d for d in documents if d is not None)

    def _current_of_conversation(self, question: str, history: list[dict] | None) -> str:
        """A question that asks for a part of a current and nothing else ("what triggers should I watch for?", "which
        data sources does it use?"), after a question naming one current (past others that also asked only for a
        part: "... and the data sources?"), asks it of that current; any other question is left as asked ("what
        triggers an AI bubble to burst?", "what should I look out for when buying GPUs?")."""
        if not history or not self._asks_only_a_part(question):
            return question
        for turn in reversed(history):
            if turn.get("role") != "user":
                continue
            said = str(turn.get("content") or "")
            if named := self._retriever.named_documents(said):
                currents = self._retriever.currents_of(named)
                return (
                    f"{question.strip().rstrip('?.! ')} in the {currents.pop()} current?"
                    if len(currents) == 1
                    else question
                )
            if not self._asks_only_a_part(said):
                break
        return question

    def _without_parts_asked(self, history: list[dict] | None) -> list[dict] | None:
        """The conversation less the turns that asked only for a part of the current named before them, with their
        answers: "how does it interact with Financial Correction?" after "Explain the Continued Scaling current." and
        "what triggers should I watch for?" asks of the current ("it"), not of the trigger list."""
        if not history:
            return history
        kept: list[dict] = []
        skipping = False
        for place, turn in enumerate(history):
            if turn.get("role") == "user":
                said = str(turn.get("content") or "")
                skipping = self._current_of_conversation(said, history[:place]) != said
            if not skipping:
                kept.append(turn)
        return kept or None

    def _asks_only_a_part(self, question: str) -> bool:
        """Whether the question asks for a part of a current (or what to watch) and names nothing else."""
        if not current_parts(question)[0] and not _ASKS_WHAT_TO_WATCH.search(question):
            return False
        asked = content_words(_ASKS_WHAT_TO_WATCH.sub(" ", question)) - _ASKING_FOR_A_PART
        return not asked and not self._retriever.named_documents(question)

    def _watch_list_of(self, question: str) -> str | None:
        """The one current whose trigger signals a question asks for as a checklist or what to watch ("a watch list
        for the Sovereignty current", "what should we keep an eye on for Financial Correction?"), if it names one and
        nothing else: not when it names another document ("... per the monetization essay") or holds a word the corpus
        never uses besides the request ("red flags for GDPR in the Sovereignty chapter"): those are judged as any
        question."""
        request = _ASKS_WHAT_TO_WATCH.search(question)
        if request is None:
            return None
        documents = set(self._retriever.named_documents(question))
        currents = {
            c.current: c.document_id for c in self._retriever.chunks if c.current and c.document_id in documents
        }
        if len(currents) != 1:
            return None
        (current, document), judge = next(iter(currents.items())), self._coverage_judge()
        rest = question[: request.start()] + " " + question[request.end() :]
        if not all(judge.knows(w) for w in words_of(rest) if len(w) > 2):  # "me", "us": no subject words
            return None
        named = {self._retriever.document_called(r) for r in classify(question).references}
        return current if named <= {document, None} else None

    def _judge_coverage(
        self, question: str, retrieval: Retrieval, topic: bool = False, whole: str | None = None
    ) -> Coverage:
        """Whether the corpus covers what the question asks; `whole`: the message it was asked in, when the question
        leaves out who asks ("I'm an investor - what does the blitzscaling essay tell me to do?"): advice is for them."""
        judge = self._coverage_judge()
        if (newer := judge.newer_than_seen(whole or question)) is not None:  # "... the last number I have is $25B"
            return newer
        # "What does the blitzscaling essay recommend?": asks for its advice, no topic it never discusses ("recommend")
        if recommended := recommendations_asked(whole or question, self._retriever, judge):
            return recommended
        refused = off_topic(question, self._retriever, judge) or figure_unstated(question, self._retriever)
        if refused is not None:
            return refused
        if whole and whole != question and (concept := judge.named_in_context(whole)):
            return Coverage(False, f"the corpus never mentions {concept}", (concept,))
        verdict = judge.judge(question, retrieval)
        if not verdict.covered and not topic:
            return (
                on_topic(question, self._retriever, judge)
                or implications_for_reader(question, self._retriever, judge)
                or originator_named(question, self._retriever)
                or acronym_expanded(question, self._retriever)
                or chapter_called(question, self._retriever)
                or booklet_use(question, self._retriever, judge)
                or section_named(question, self._retriever, retrieval)
                or current_chosen(question, judge)
                or advice_for(whole or question, retrieval)
                or company_strategy(question, self._retriever)
                or self._follows_covered(question)
                or self._sides_covered(question)
                or self._reader_set_aside(question, retrieval, named=False)
                or verdict
            )
        if verdict.covered or not topic:
            return verdict
        return self._reader_set_aside(question, retrieval, named=True) or verdict

    def _reader_set_aside(self, question: str, retrieval: Retrieval, *, named: bool) -> Coverage | None:
        """A reader's situation at the end of a briefing topic or a query of words ("Sovereignty risk for a European
        bank", "sovereign AI for a German bank") is theirs, not what the corpus must hold: the verdict on the rest alone
        when that is covered and, for a briefing topic (`named`), names a document or current. Not for a question:
        applied to them, it answered one more out-of-scope question of the heldout split and no more in-scope ones on
        any; nor for a situation holding a word the corpus never uses, which may be what is asked ("Sovereignty current
        lessons for a carbon tax"), though a place's adjective describing the reader may ("a German bank")."""
        judge = self._coverage_judge()
        asked, situation = reader_context(question)
        described = described_words(situation)
        if not situation or not all(judge.recognises(w) or w in described for w in words_of(situation)):
            return None
        if not (self._retriever.named_documents(asked) if named else is_word_query(question)):
            return None
        again = judge.judge(asked, retrieval)
        return again if again.covered else None

    def _sides_covered(self, question: str) -> Coverage | None:
        """A comparison of two things the corpus covers each, asked alone ("How does RLAIF differ from RLHF?": what
        RLAIF is, what RLHF is), is covered: the answer quotes each side."""
        form = classify(question)
        if form.kind != "comparison" or len(form.sides) != 2:
            return None
        for side in form.sides:
            retrieval = self._retrieve(side, side, mapped=False)
            if not self._judge_coverage(side, retrieval).covered or not _is_a_subject(side, retrieval):
                return None
        return Coverage(True, "compares " + " and ".join(f"“{side}”" for side in form.sides) + ", each covered")

    def _last_turn(self, history: list[dict]) -> Context | None:
        """The conversation's last question, made standalone, and its answer; None when it got none."""
        context = conversation_context(self._without_parts_asked(history), self._common_words())
        return context if context is not None and context.answer else None

    def _documents_quoted(self, context: Context) -> tuple[str, ...]:
        """The ids of the documents the conversation's last answer quoted; for an answer in prose, which names none (a
        model's, or one the client wrote), those of its best passages that hold ANSWER_HELD of its words. Worked out
        once per last turn and index: a message's rules ask it up to three times, and for prose it is a search."""
        return self._of_index("quoted", lambda _: self._quoted_in(context), context)

    def _quoted_in(self, context: Context) -> tuple[str, ...]:
        quoted = set(context.documents())
        if quoted:
            return tuple(d for d, title in self._retriever.documents().items() if title in quoted)
        answer = context.plain_answer
        words = content_words(answer)
        if len(words) < ANSWER_WORDS:
            return ()
        found = self._retrieve(answer, answer, mapped=False)
        judge = self._coverage_judge()
        return tuple(
            dict.fromkeys(
                h.chunk.document_id
                for h in found.hits[:CONVERSATION_HITS]
                if judge.held_share(words, h.chunk.embedded_text) >= ANSWER_HELD
            )
        )

    def _unknown_in_follow_up(self, question: str, message: str) -> list[str]:
        """What a follow-up names that the corpus never mentions, as it would be judged alone (its first word is no
        name): the follow-up of a question asked together with the last one ("— what about a junior developer in
        India?"), or the message a follow-up was resolved from ("and in India?", asked as "What does a senior
        developer cost per hour in the Hours and Dollars chapter in India?")."""
        parts = joined_parts(question)
        asked = parts[1] if parts else message if question != message else ""
        return self._coverage_judge().unknown_terms(asked) if asked else []

    def _follow_up_first(self, question: str, retrieval: Retrieval, context: Context) -> Retrieval:
        """The passages of a follow-up that adds a subject of its own to the last question it is asked together with
        ("What does the defensibility post say about vector databases? — what about the hosting layer?"): searched
        alone too, in the documents the last answer quoted, since the joined search is led by what the last question
        found and the answer repeated it. The passage of those documents holding most of the words the follow-up adds
        (by IDF, at least FOLLOW_UP_HELD of them; the joined search's first on a tie: "— And Opus 4.7?" keeps the price
        list the last question found) leads; the two rankings, merged by reciprocal rank, follow."""
        parts = joined_parts(question)
        if parts is None or not has_topic(parts[1]):
            return retrieval
        own = own_words(parts[1])
        added = content_words(own) - content_words(parts[0])
        documents = self._documents_quoted(context)
        if not added or not documents:
            return retrieval
        within = self._retrieve(without_request(own), own, documents)
        judge = self._coverage_judge()
        ours = [h for h in retrieval.hits if h.chunk.document_id in documents]
        candidates = list({h.chunk.id: h for h in ours + within.hits}.values())
        held = [judge.held_share(added, h.chunk.embedded_text) for h in candidates]
        if not held or max(held) < FOLLOW_UP_HELD:
            return retrieval
        lead = candidates[held.index(max(held))]
        rest = [h for h in _merged(within.hits, retrieval.hits) if h.chunk.id != lead.chunk.id]
        return _reordered(retrieval, [lead, *rest][: len(retrieval.hits)])

    def _figure_ungiven(self, question: str, retrieval: Retrieval) -> bool:
        """Whether the question, made standalone, asks an amount of something the corpus names that none of its best
        passages gives, nor those its measure's other words find (_figure_giving, on the plain ranking): "What was its IPO
        share price?" after OpenAI's valuation, OpenAI's IPO share price. The conversation does not carry it, the figure
        asked being another than the last answer's."""
        wanted = self._coverage_judge().figure_asked(question)
        return (
            wanted is not None and self._figure_giving(retrieval.hits, question, question, wanted, adapt=False) is None
        )

    def _asked_in_conversation(
        self, question: str, retrieval: Retrieval, context: Context
    ) -> tuple[Retrieval, Coverage] | None:
        """A message the judge refuses alone that goes on with the conversation: "and how did Amazon make it
        through?" after the lesson of the dot-com crash, "what's NVIDIA's angle?" after what the podcast says about
        agentic runtimes. Covered, from the documents the last answer quoted, when one of its own best passages is of
        one of them or it refers back ("and how does the author translate that into GPU counts?"), one of the best
        passages of those documents names what the message names and holds CONVERSATION_SHARE of its words (the one
        holding most leads), and the message asked together with the last question is covered."""
        documents = self._documents_quoted(context)
        if not documents or not (
            refers_back(question) or any(h.chunk.document_id in documents for h in retrieval.hits[:CONVERSATION_HITS])
        ):
            return None
        within = self._retrieve(without_request(question), question, documents, mapped=False)
        names = {m.name.lower() for m in entities.mentions(question)}
        judge = self._coverage_judge()
        held = [
            (judge.share_held(question, h.chunk.embedded_text), -rank, h)
            for rank, h in enumerate(within.hits[:CONVERSATION_HITS])
            if all(n in h.chunk.text.lower() for n in names)
        ]
        share, _, lead = max(held, key=lambda found: found[:2], default=(0.0, 0, None))
        if lead is None or share < CONVERSATION_SHARE:
            return None  # the passages of those documents hold little of what it asks
        within = _reordered(within, _led_with(within.hits, lead.chunk))
        joined = context.joined(question)
        verdict = self._judge_coverage(joined, self._retrieve(without_request(joined), joined, mapped=False))
        if not verdict.covered:
            return None
        return within, replace(
            verdict, reason=f"goes on with a covered conversation: {verdict.reason}", classified=False
        )

    def _kept_in_conversation(self, question: str, retrieval: Retrieval, context: Context) -> Retrieval | None:
        """The passages of a message covered alone that goes on with the conversation (followup.goes_on, or naming
        nothing of its own and no document or a document's subject: the condition in _prepare) when some of its passages
        are of other documents than those the last answer quoted and those cover it too (judged on their own search):
        their passages of its search first, then those of their search, and no other document's. Not "and what is the
        Jevons paradox?" after what blitzscaling is: the blitzscaling essay does not cover it."""
        documents = self._documents_quoted(context)
        if not documents or all(h.chunk.document_id in documents for h in retrieval.hits):
            return None
        within, verdict = self._searched_and_judged(question, documents)
        if not within.hits or not verdict.covered:
            return None
        ours = [h for h in retrieval.hits if h.chunk.document_id in documents]
        held = {h.chunk.id for h in ours}
        return _reordered(
            retrieval, [*ours, *(h for h in within.hits if h.chunk.id not in held)][: len(retrieval.hits)]
        )

    def _continued_in_conversation(self, question: str, context: Context) -> tuple[str, Retrieval, Coverage] | None:
        """A message the judge refuses alone and the conversation carries by no passage holding its words: asked
        together with the last question, as a follow-up, when it names nothing of its own (names_nothing), is asked in
        words the corpus uses (CONTINUED_KNOWN of them by rarity), the last answer quoted the corpus and the two asked
        together are covered. "How big was the swing in share?" after why OpenAI lost enterprise to Anthropic (the
        passage says "fall from 50% enterprise market share to 25%"), "What drove the switch?" after Meta's first closed
        model. Not "unrelated, but can you recommend a good running shoe?" (words the corpus never uses), nor "how many
        employees does xAI have?" after what blitzscaling is (a question of its own, about xAI)."""
        judge = self._coverage_judge()
        own = topic_words(question)
        # a question of its own ("how many employees does xAI have?"), or in words the corpus never uses
        if not own or not names_nothing(question, years=True) or judge.known_share(own) < CONTINUED_KNOWN:
            return None
        if not self._documents_quoted(context):
            return None  # the last question was refused: no covered conversation to go on with
        joined = context.joined(question)
        found, verdict = self._searched_and_judged(joined)
        # covered as the conversation's subject, but asking who runs or founded it ("who's their CEO?"), which the
        # passages of that subject do not say
        if not verdict.covered or judge.role_unnamed(question, found):
            return None
        coverage = replace(verdict, reason=f"goes on with a covered conversation: {verdict.reason}", classified=False)
        return joined, found, coverage

    def _searched_and_judged(self, question: str, work: tuple[str, ...] = ()) -> tuple[Retrieval, Coverage]:
        """The question's search (of the `work`'s documents when given), less a request around it, and the verdict on
        it, judged on that search's plain ranking as coverage was tuned (_plain_of, as _prepare judges)."""
        asked = without_request(question)
        found = self._retrieve(asked, question, work)
        return found, self._judge_coverage(question, self._plain_of(found, asked, question))

    def _follows_covered(self, question: str) -> Coverage | None:
        """A follow-up with no topic of its own ("when did it happen?", "why?") asked together with the last question
        is covered when the last question is, as it was judged when asked: it asks more of the same subject."""
        last = follows_on(question)
        if last is None:
            return None
        if (document := self._overview_of(last)) is not None:  # "What does the Jevons essay argue?" — "and then?"
            verdict = self._overview_covered(document)  # answered as an overview, which coverage alone would refuse
        else:
            verdict = self._judge_coverage(last, self._retrieve(without_request(last), last, mapped=False))
        if not verdict.covered:
            return None
        return replace(verdict, reason=f"follows a covered question: {verdict.reason}", classified=False)

    def _retrieve(
        self,
        query: str,
        asked: str,
        work: tuple[str, ...] = (),
        *,
        mapped: bool = True,
        found: Retrieval | None = None,
    ) -> Retrieval:
        """The best passages for the query (the question as asked, less a request around it), of the `work`'s chapters
        when given or the query calls a work as a whole ("the booklet"); when the question names several documents, the
        best of each comes first. Ranked by the question as the query adapter maps it (when on), unless `asked` is a
        request around a subject ("tell me about midjourney": request_frame.py) or not `mapped` (coverage is judged on
        the plain ranking, which it was tuned on). `found`: the search's own passages, when a search of the query found
        them already (a mapped search's plain ranking: Retrieval.plain), refined here as a search's are."""
        with self.tracer.start_as_current_span("retrieval"), RETRIEVAL_SECONDS.time():
            retrieval = self._retrieve_passages(query, asked, work, mapped and not is_request(asked), found)
            # last, over the document's own best passage that naming it puts first
            return _reordered(retrieval, self._recommendations_first(retrieval.hits, asked))

    def _plain_of(self, retrieval: Retrieval, query: str, asked: str) -> Retrieval:
        """The search as coverage judges it: the plain ranking, refined by the same rules (the mapped search made it
        already, with the query's one embedding); the search itself when no map applied."""
        if retrieval.adapted_vector is None:
            return retrieval
        return self._retrieve(query, asked, mapped=False, found=retrieval.plain())

    def _retrieve_passages(
        self, query: str, asked: str, work: tuple[str, ...], adapt: bool, found: Retrieval | None
    ) -> Retrieval:
        retrieval = found
        if retrieval is None:
            # "what does the booklet say about agents?": from its chapters (the question names none of them)
            work = work or self._work_called(query)
            retrieval = self._retriever.retrieve(query, SOURCES_FOR_MODEL, document=work or None, adapt=adapt)
        adapt = retrieval.adapted_vector is not None  # the searches below rank as this one did
        named = self._retriever.named_documents(query)
        retrieval = _reordered(retrieval, _trigger_list_second(retrieval.hits, asked))
        retrieval = _reordered(retrieval, self._company_section_first(retrieval, query, asked))
        retrieval = _reordered(retrieval, self._company_advised_first(retrieval, query, asked))
        retrieval = _reordered(retrieval, self._company_passage_first(retrieval.hits, asked))
        retrieval = _reordered(retrieval, self._figure_first(retrieval, query, asked))
        retrieval = _reordered(retrieval, self._advised_section_first(retrieval.hits, named, asked))
        retrieval = _reordered(retrieval, self._originator_first(retrieval.hits, asked))
        retrieval = _reordered(retrieval, self._examples_first(retrieval.hits, query, asked, adapt))
        retrieval = _reordered(retrieval, self._expansion_first(retrieval.hits, asked))
        # Two documents named lead with one passage each; so does one whose title or current name the question
        # spells in full ("Who wins in the Efficiency Revolution?": the current, though BM25 prefers the essay whose
        # title says "Monetization Efficiency Revolution"; "What single question does the Trigger Drill worksheet
        # ask ...?").
        if len(named) >= 2:
            return self._led_by(retrieval, query, named, asked)
        if len(named) == 1 and named[0] in self._retriever.spelled_documents(query) and not _ASKS_EXAMPLE.search(asked):
            form = classify(query)  # "What is Continued Scaling?", "trigger drill", "tell me more about Sovereignty"
            if form.kind == "definition" or (
                form.kind == "overview" and self._retriever.document_called(form.focus) == named[0]
            ):
                return self._opened_by(retrieval, named[0])
            return self._led_by(retrieval, query, named, asked)
        return retrieval

    def _advised_section_first(self, hits: list[SearchHit], named: list[str], question: str) -> list[SearchHit]:
        """The hits led by the section written for whom a question asks advice for, when one of the best passages is
        (section_for): "how do defenders respond?" quotes the blitzscaling essay's “For Defenders”; or, when the
        question names one document (`named`, the documents its search query names), when one of its sections is
        ("what should investors do about the hype cycle essay?": its “For Investors”, which the search ranks below “The
        Investment FOMO”)."""
        found = section_for(question, hits)
        if found is None and len(named) == 1:
            sections = [SearchHit(c, 0.0) for c in self._retriever.section_openings(named[0])]
            found = section_for(question, sections, len(sections), document_words(self._retriever, named[0]))
        if found is None or (hits and found.chunk.id == hits[0].chunk.id):
            return hits
        return _led_with(hits, found.chunk)

    def _recommendations_first(self, hits: list[SearchHit], question: str) -> list[SearchHit]:
        """The hits led by the section of advice of the document a question asks what it recommends (recommended_by):
        "What does the podcast recommend?" quotes its “Key Action Items”."""
        found = recommended_by(question, self._retriever, self._coverage_judge())
        return _led_with(hits, found[1]) if found is not None and hits else hits

    def _company_advised_first(self, retrieval: Retrieval, query: str, question: str) -> list[SearchHit]:
        """The hits led by a section about the company a question asks what it should do (company_to_advise: "What
        should OpenAI do?" is answered by “OpenAI’s Dilemma”, not by “OpenAI’s Recent Statement”, which the search finds
        first): of the passages under a heading about it (heading_about), the one with the sentence closest to the
        query; the hits as they are when none is, or one leads already."""
        company = company_to_advise(question)
        if company is None:
            return retrieval.hits
        about = [c for c in self._retriever.chunks if heading_about(company, c.section)]
        if not about or (retrieval.hits and heading_about(company, retrieval.hits[0].chunk.section)):
            return retrieval.hits
        vector = retrieval.query_vector if retrieval.query_vector is not None else self._retriever.embed(query)
        sentences = self._retriever.sentence_vectors_of(about)
        best = max(
            about, key=lambda c: max((float(np.dot(vector, v)) for _, v in sentences.get(c.id, [])), default=-1.0)
        )
        return _led_with(retrieval.hits, best)

    def _company_section_first(self, retrieval: Retrieval, query: str, question: str) -> list[SearchHit]:
        """The hits led by the section a document gives a company, when the question names the company and the first
        passage is about something else: "how does blitzscaling apply to Meta?" is answered by “Meta: The Desperate
        Sprinter”, not by the framework's five stages, which the question's other words find first, nor by its opening,
        which names Meta among others. Only a passage of the first one's document, among its best
        COMPANY_SECTION_RIVALS for the query, whose own heading opens with the company's name; not when the first
        passage's heading shares a word with the question ("What would an acquisition spree mean for Meta?": “Option 2:
        Acquisition Spree”), nor for a company the question sets aside ("Besides Meta, who is blitzscaling?")."""
        hits = retrieval.hits
        names = entities.companies(question)
        if len(names) != 1 or not hits:
            return hits
        name = names[0]
        if re.search(rf"{_SETS_ASIDE}(?:\w+\s+){{0,2}}{re.escape(name)}\b", question, re.IGNORECASE):
            return hits
        first = hits[0].chunk
        # the question's words besides the company and the document's title ("blitzscaling", "platform paradox")
        asked = content_words(question) - content_words(f"{name} {first.document_title}")
        heading = first.section or ""
        if heading.lower().startswith(name.lower()) or content_words(heading) & asked:
            return hits
        found = self._retriever.retrieve(
            query,
            COMPANY_SECTION_RIVALS,
            document=first.document_id,
            vector=retrieval.query_vector,
            adapt=retrieval.adapted_vector is not None,
        ).hits
        section = next((h for h in found if (h.chunk.section or "").lower().startswith(name.lower())), None)
        if section is None:
            return hits
        return _led_with(hits, section.chunk)

    def _company_passage_first(self, hits: list[SearchHit], question: str) -> list[SearchHit]:
        """The hits led by the passage about the one company a question asks how it does business or where it stands
        (company_passage): "How does Anthropic make money?" quotes “Enterprise Model: Anthropic's Strategy”, not the
        essay's opening, which names both companies."""
        found = company_passage(question, self._retriever)
        return _led_with(hits, found) if found is not None and hits and found.id != hits[0].chunk.id else hits

    def _figure_first(self, retrieval: Retrieval, query: str, question: str) -> list[SearchHit]:
        """The hits led by the passage that gives the amount a question asks for (_figure_giving), when the first does
        not ("how much revenue does Anthropic make?" quotes Anthropic's ARR, not OpenAI's revenue, which the question's
        words find first); see CoverageJudge.figure_asked."""
        hits = retrieval.hits
        wanted = self._coverage_judge().figure_asked(question)
        if wanted is None or not hits:
            return hits
        giving = self._figure_giving(hits, query, question, wanted, adapt=retrieval.adapted_vector is not None)
        if giving is None or giving is hits[0]:
            return hits
        return _led_with(hits, giving.chunk)

    def _figure_giving(
        self, hits: list[SearchHit], query: str, question: str, wanted: FigureAsked, *, adapt: bool
    ) -> SearchHit | None:
        """The first of the best FIGURE_PASSAGES hits that gives the amount asked (`wanted`: figure_asked); when none
        does and the question names a measure the corpus may write otherwise, the first such passage the query searched
        again with those words finds ("how much did OpenAI raise?": "... round funding" finds its "$122 billion funding
        round"); None when neither gives it."""
        judge = self._coverage_judge()
        giving = next((h for h in hits[:FIGURE_PASSAGES] if judge.gives_figure(h.chunk, wanted)), None)
        if giving is None and (measured := measure_words(question)):
            found = self._retriever.retrieve(f"{query} {measured}", FIGURE_PASSAGES, adapt=adapt).hits
            giving = next((h for h in found if judge.gives_figure(h.chunk, wanted)), None)
        return giving

    def _examples_first(self, hits: list[SearchHit], query: str, question: str, adapt: bool) -> list[SearchHit]:
        """For a question asking for examples ("What are examples of the Jevons paradox?", "give me a case study of
        it"), the hits led by the best passage of the first one's document filed under examples (“Real-World
        Manifestations”, “Case Studies in Permanent Hype”, “Historical Parallels”), when the first is none."""
        if not hits or not _ASKS_EXAMPLE.search(question) or _EXAMPLE_SECTION.search(hits[0].chunk.section_path or ""):
            return hits
        within = self._retriever.retrieve(query, EXAMPLE_PASSAGES, document=hits[0].chunk.document_id, adapt=adapt).hits
        example = next((h for h in within if _EXAMPLE_SECTION.search(h.chunk.section_path or "")), None)
        return _led_with(hits, example.chunk)[: len(hits)] if example else hits

    def _originator_first(self, hits: list[SearchHit], question: str) -> list[SearchHit]:
        """The hits led by the passage naming who the idea asked about comes from ("Who came up with blitzscaling?"),
        searched for the idea alone when none of the question's passages does (origin.originator_passage)."""
        idea = origin_asked(question)
        if idea is None:
            return hits
        lowercase = lowercase_words(self._retriever.chunks)
        found = originator_passage(question, hits[:SOURCES_FOR_MODEL], lowercase)
        if found is None:
            # the idea alone, a subject, ranked as coverage's originator rule ranks it (plain: the map loses these passages)
            more = self._retriever.retrieve(idea, IDEA_PASSAGES, adapt=False).hits
            found = originator_passage(question, more, lowercase)
            return _led_with(hits, more[found[0]].chunk) if found else hits
        return _led_with(hits, hits[found[0]].chunk)

    def _expansion_first(self, hits: list[SearchHit], question: str) -> list[SearchHit]:
        """The hits led by the passage that spells out the acronym the question asks about ("What does RLVR stand
        for?"), wherever it ranked (acronym.expansion_passage)."""
        acronym = acronym_asked(question)
        found = expansion_passage(acronym, self._retriever.chunks) if acronym else None
        return _led_with(hits, found[0]) if found else hits

    def _without_work(self, question: str) -> str:
        """The question without its references to a work as a whole: "what does the booklet say about agents?" ->
        "what does say about agents?" (the search for a topic in a work's chapters, which hardly call themselves
        "this booklet"); a reference to one document stays ("... say about the podcast?": its topic)."""
        for reference in document_references(question, determined=True):
            if len(self._retriever.documents_called(reference)) > 1:
                question = re.sub(rf"\b(?:(?:the|this|that)\s+)?{re.escape(reference)}", " ", question, flags=re.I)
        return " ".join(question.split())

    def _work_called(self, question: str) -> tuple[str, ...]:
        """The chapters of the one work the question refers to as a whole ("what does the booklet say about agents?":
        the booklet's ten chapters), or the chapters of the booklet's currents, when it asks which current is about
        something ("Which current is about agents?": the six, not the podcast's “Agentic Runtime”); none otherwise (a
        reference to one document, or several references)."""
        if CURRENT_ABOUT.match(question):
            return tuple(sorted({c.document_id for c in self._retriever.chunks if c.current}))
        work = documents_called_in(self._retriever, question)
        return work if len(work) > 1 else ()

    def _source_named(self, question: str, retrieval: Retrieval) -> tuple[str, ...]:
        """The one document a question names at its end as where to answer from ("Why did Meta release Llama openly,
        according to the defensibility post?", "..., per the Sovereignty chapter?"), or asks what it says ("What does
        the architecture essay say about infrastructure?"), when the passages found do not lead with it; none otherwise
        (searched again within it, they would only be ordered otherwise)."""
        source = source_named(question)
        document = (one_document_called(self._retriever, source) if source else None) or document_said(
            question, self._retriever
        )
        if document is None or (retrieval.hits and retrieval.hits[0].chunk.document_id == document):
            return ()
        return (document,)

    def _opened_by(self, retrieval: Retrieval, document: str) -> Retrieval:
        """The retrieval with the document's opening statement first: its first chunk that says something."""
        chunk = self._retriever.opening_chunk(document)
        for _ in range(OPENING_LEAD_CHUNKS):
            if chunk is None or _says_something(chunk.text):
                break
            chunk = self._retriever.neighbour(chunk, 1)
        if chunk is None:
            return retrieval
        return _reordered(retrieval, _led_with(retrieval.hits, chunk)[:SOURCES_FOR_MODEL])

    def _led_by(
        self, retrieval: Retrieval, query: str, documents: list[str] | tuple[str, ...], asked: str
    ) -> Retrieval:
        """The retrieval with each document's best passage first, in the documents' order: the best of its first three
        that says something (not a bare framing line such as “How Much Does GPT-4 Cost?”), its trigger list after its
        own account unless `asked` (the question) asks what to watch for."""
        leads = []
        for doc in documents:
            found = self._retriever.retrieve(query, 3, document=doc, adapt=retrieval.adapted_vector is not None)
            hits = _trigger_list_second(found.hits, asked)
            leads += [next((h for h in hits if _says_something(h.chunk.text)), hits[0])] if hits else []
        lead_ids = {h.chunk.id for h in leads}
        hits = leads + [h for h in retrieval.hits if h.chunk.id not in lead_ids]
        return _reordered(retrieval, hits[:SOURCES_FOR_MODEL])

    def _refusal(self, prepared: _Prepared) -> Answer:
        nearest = prepared.retrieval.hits[0].chunk if prepared.retrieval.hits else None
        text = self._prompts.render(
            "refusal",
            nearest=nearest,
            instructions_only=not prepared.question,
            needs_topic=prepared.needs_topic,
            unknown=_as_written(asked_last(prepared.question), prepared.coverage.unknown_terms),
            after=prepared.coverage.after_the_corpus,
        )
        return self._finish(prepared, VerifiedAnswer(text, []), prepared.alias, mode="refusal", supported=False)

    def _messages(self, question: str, history: list[dict] | None, retrieval: Retrieval) -> list[dict]:
        sources = [h.chunk for h in retrieval.hits[:SOURCES_FOR_MODEL]]
        # Earlier turns come from the client too: instructions in them are kept out of the prompt like the question's.
        turns = [
            {"role": t["role"], "content": guard_question(str(t["content"])).question}
            for t in (history or [])[-HISTORY_TURNS:]
            if t.get("role") in ("user", "assistant")
        ]
        turns = [t for t in turns if t["content"]]
        return [
            {"role": "system", "content": self._prompts.render("answer_system", max_sentences=6)},
            *turns,
            {"role": "user", "content": self._prompts.render("answer_user", sources=sources, question=question)},
        ]

    def _finish(
        self,
        prepared: _Prepared,
        verified: VerifiedAnswer,
        model: str,
        *,
        mode: AnswerMode,
        supported: bool | None = None,
        completion: Completion | None = None,
        fallback: bool = False,
    ) -> Answer:
        usage = Usage(**completion.usage, cost_usd=completion.cost_usd) if completion else Usage()
        if supported is None:
            supported = bool(verified.citations) and not verified.refused
        return Answer(
            answer=verified.text,
            supported=supported,
            citations=[Citation.of(c.chunk, c.quote) for c in verified.citations] if supported else [],
            model=model,
            usage=usage,
            latency_ms=(time.perf_counter() - prepared.started) * 1000,
            requested_model=prepared.alias,
            fallback=fallback or (completion is not None and completion.attempted_fallbacks > 0),
            mode=mode,
            unsupported_claims=verified.unsupported_claims,
            ignored_instructions=list(prepared.ignored),
        )

    def _extractive_answer(self, question: str, prepared: _Prepared, *, fallback: bool = False) -> Answer:
        if prepared.library is not None:
            verified = prepared.library
        elif prepared.parts:
            verified = self.extractive.quote_parts(prepared.parts)
        elif prepared.conclusion:
            verified = self.extractive.quote_conclusion(question, prepared.retrieval)
        else:
            verified = self.extractive.answer(
                question, prepared.retrieval, prepared.shown, gloss_added=prepared.glossed
            )
        return self._finish(
            prepared, verified, EXTRACTIVE, mode="retrieval-only" if fallback else "extractive", fallback=fallback
        )

    def _can_fall_back_to_extractive(self, alias: str) -> bool:
        return EXTRACTIVE in self.catalog.chain(alias)[1:]

    # --- the public calls ------------------------------------------------------------------

    async def ask(
        self, question: str, model: str | None = None, history: list[dict] | None = None, *, topic: bool = False
    ) -> Answer:
        """The answer to a question; `topic`: a briefing's topic, whose reader situation coverage leaves aside."""
        with self.tracer.start_as_current_span("answer") as span:
            answer = await self._ask(question, model, history, topic)
            span.set_attributes(
                {"answer.model": answer.model, "answer.mode": answer.mode, "answer.citations": len(answer.citations)}
            )
        record_answer(answer)
        return answer

    async def _ask(self, question: str, model: str | None, history: list[dict] | None, topic: bool = False) -> Answer:
        prepared = await self._prepare(question, model, history, topic=topic)
        question = prepared.question
        if prepared.library is not None:  # the front matter needs no model, and says what it does not record
            return await run_in_threadpool(self._extractive_answer, question, prepared)
        if not prepared.coverage.covered:
            return self._refusal(prepared)
        if prepared.alias == EXTRACTIVE:
            return await run_in_threadpool(self._extractive_answer, question, prepared)
        try:
            completion = await self._gateway.complete(
                prepared.alias, self._messages(question, history, prepared.retrieval)
            )
        except AllModelsFailedError:
            if self._can_fall_back_to_extractive(prepared.alias):
                return await run_in_threadpool(self._extractive_answer, question, prepared, fallback=True)
            raise
        sources = [h.chunk for h in prepared.retrieval.hits[:SOURCES_FOR_MODEL]]
        verified = self._verifier.verify(completion.text, sources)
        return self._finish(prepared, verified, completion.model, mode="generated", completion=completion)

    async def stream(
        self, question: str, model: str | None = None, history: list[dict] | None = None
    ) -> AsyncIterator[AnswerEvent]:
        """Events: ("delta", {"text"}) ..., then ("citations", CitationsEvent), then ("done", Answer).

        ("reset", {"reason"}) means: drop the text streamed so far (the model failed mid-answer and its
        fallback's answer follows).

        Validation (unknown model, index not ready) raises before the first event, so the caller
        can still answer with a 4xx or 503."""
        prepared = await self._prepare(question, model, history)
        return self._events(prepared.question, history, prepared)

    async def _events(
        self, question: str, history: list[dict] | None, prepared: _Prepared
    ) -> AsyncIterator[AnswerEvent]:
        if not prepared.coverage.covered or prepared.alias == EXTRACTIVE or prepared.library is not None:
            answer = (
                self._refusal(prepared)
                if not prepared.coverage.covered and prepared.library is None
                else await run_in_threadpool(self._extractive_answer, question, prepared)
            )
            for piece in _pieces(answer.answer):
                yield "delta", {"text": piece}
        else:
            streamed = False
            try:
                completion = None
                async for part in self._gateway.stream(
                    prepared.alias, self._messages(question, history, prepared.retrieval)
                ):
                    if isinstance(part, Completion):
                        completion = part
                    else:
                        streamed = True
                        yield "delta", {"text": part}
                if completion is None:  # the gateway ends every stream with its Completion
                    raise RuntimeError(f"the stream of {prepared.alias} ended without its completion")
                sources = [h.chunk for h in prepared.retrieval.hits[:SOURCES_FOR_MODEL]]
                verified = self._verifier.verify(completion.text, sources)
                answer = self._finish(prepared, verified, completion.model, mode="generated", completion=completion)
            except AllModelsFailedError:
                if not self._can_fall_back_to_extractive(prepared.alias):
                    raise
                if streamed:  # the model died mid-answer: the reader drops the partial text, the fallback follows
                    yield (
                        "reset",
                        {"reason": "the model stopped mid-answer; the answer below is quoted from the sources"},
                    )
                answer = await run_in_threadpool(self._extractive_answer, question, prepared, fallback=True)
                for piece in _pieces(answer.answer):
                    yield "delta", {"text": piece}
        record_answer(answer)
        yield "citations", CitationsEvent(citations=answer.citations)
        yield "done", answer


#: A question about what to watch for, or what would show or follow from something, or what a current means for a
#: reader (what they should watch): a current's trigger list may answer it first ("what should we be monitoring ...?",
#: "what would confirm ...?", "what if capex guidance flattens?", "what does Financial Correction mean for GPU clouds?").
_ASKS_ABOUT_SIGNALS = re.compile(
    r"\b(?:trigger\w*|signal\w*|signs?|watch\w*|warning\w*|red flags?|indicator\w*|monitor\w*|tracking|track(?! record)|"
    r"keep(?:ing)? an eye|look(?:ing)? out|check\s?-?lists?|milestones?|thresholds?|tripwires?|confirm\w*|tell[- ]tale|"
    r"would (?:show|tell|indicate|signal|mean|suggest|prove|change)|"
    r"how (?:would|will|do|does|can|could) (?:i|we|you|one|they|anyone) (?:know|tell|notice|see)|"
    r"what if|happens? if|means? if|means? for|implications?|implies)\b",
    re.IGNORECASE,
)
#: How far down a passage of the same chapter may be to lead instead of its trigger list.
TRIGGER_LIST_RIVALS = 3
#: How many of a document's best passages for a question are looked through for a company's own section.
COMPANY_SECTION_RIVALS = 5


def _as_written(question: str, terms: tuple[str, ...]) -> list[str]:
    """The terms the question writes, as it writes them together: "Dario" and "Amodei" as "Dario Amodei", "SB" and
    "1047" as "SB 1047" (for saying what the corpus never mentions); a term it does not write (one of the last question
    a follow-up was asked with) is left out."""
    spans: list[list[int]] = []
    at = 0
    for term in terms:
        found = re.compile(rf"(?<!\w){re.escape(term)}(?!\w)").search(question, at)
        if found is None:
            continue
        start, at = found.span()
        if spans and not question[spans[-1][1] : start].strip(" -"):
            spans[-1][1] = at
        else:
            spans.append([start, at])
    return list(dict.fromkeys(question[a:b] for a, b in spans))


#: The IDF-weighted share of the words a follow-up adds to the last question that a passage must hold to lead its
#: answer (AnswerService._follow_up_first).
FOLLOW_UP_HELD = 0.5
#: Reciprocal-rank fusion's constant for merging two short rankings (_merged): small, so a first rank counts most.
MERGE_K = 2


def _merged(first: list[SearchHit], second: list[SearchHit]) -> list[SearchHit]:
    """Two rankings merged by reciprocal rank (Cormack et al. 2009, k = MERGE_K); on a tie, the first's hit first."""
    scores: dict[str, float] = {}
    hits: dict[str, SearchHit] = {}
    for ranking in (first, second):
        for rank, hit in enumerate(ranking, 1):
            scores[hit.chunk.id] = scores.get(hit.chunk.id, 0.0) + 1.0 / (MERGE_K + rank)
            hits.setdefault(hit.chunk.id, hit)
    return [hits[i] for i in sorted(scores, key=lambda i: -scores[i])]


def _shown_before(message: str, last: Context) -> frozenset[str]:
    """The sentences the conversation's last answer marked that a follow-up asks past: those holding none of the words
    the message adds to the last question ("and how much did usage go up?" asks for the sentence with "usage" again)."""
    added = content_words(message) - content_words(last.question)
    return frozenset(s for s in shown_sentences(last.answer) if not content_words(s) & added)


def _trigger_list_second(hits: list[SearchHit], question: str) -> list[SearchHit]:
    """The hits with a passage of the same chapter ahead of its trigger list when that leads and the question does not
    ask what to watch for: the list says what would show a current playing out (thresholds such as "net agent-cost
    below 25% of the loaded human comparator"), not what is so ("how much cheaper is an agent after review overhead?"
    is answered by the chapter's own account). Only a passage among the next TRIGGER_LIST_RIVALS that holds as many
    of the question's words as the list does: a fact only the list gives stays first."""
    if not hits or TRIGGER_SECTION not in hits[0].chunk.section_path or _ASKS_ABOUT_SIGNALS.search(question):
        return hits
    listed = hits[0].chunk
    # the words of the question besides the chapter's name, which every passage of it carries in its embedded text
    asked = content_words(question) - content_words(f"{listed.document_title} {listed.current or ''}")
    held = len(asked & indexed_words(listed.embedded_text))
    rival = next(
        (
            h
            for h in hits[1 : 1 + TRIGGER_LIST_RIVALS]
            if h.chunk.document_id == listed.document_id
            and TRIGGER_SECTION not in h.chunk.section_path
            and len(asked & indexed_words(h.chunk.embedded_text)) >= held
        ),
        None,
    )
    return hits if rival is None else [rival] + [h for h in hits if h is not rival]


#: Words that set a company aside or give it as an example: "Besides Meta, ...", "a company blitzscaling like xAI".
_SETS_ASIDE = r"\b(?:besides|other than|apart from|aside from|except(?: for)?|excluding|unlike|beyond|like|such as)\s+"


#: How many of the best passages of the document a question is about compete to give its examples (_examples_first).
EXAMPLE_PASSAGES = 10
#: A question asking for examples: "What are examples of X?", "give me an example", "any case studies?", "for instance?".
_ASKS_EXAMPLE = re.compile(r"\b(?:examples?|case stud(?:y|ies)|instances?|illustrat\w*)\b", re.IGNORECASE)
#: A section filed under examples, by its heading or its parent's: “Real-World Manifestations › The ChatGPT
#: Explosion”, “Case Studies in Permanent Hype”, “Historical Parallels”; not “Why the parallel breaks”.
_EXAMPLE_SECTION = re.compile(
    r"\b(?:examples?|case stud(?:y|ies)|real-world|manifestations|parallels|precedent)\b", re.IGNORECASE
)


def _reordered(retrieval: Retrieval, hits: list[SearchHit]) -> Retrieval:
    """The retrieval with its hits in the order a rule gave them; when the rule put another passage first (the section
    a company is given, a passage filed under examples, the one a follow-up's own words point to), the answer quotes
    it first (Retrieval.lead): the answer-sentence models score sentences, not why a passage was chosen."""
    first = retrieval.hits[0].chunk.id if retrieval.hits else None
    lead = hits[0].chunk.id if hits and hits[0].chunk.id != first else retrieval.lead
    return replace(retrieval, hits=hits, lead=lead)


def _led_with(hits: list[SearchHit], chunk: Chunk) -> list[SearchHit]:
    """The hits with the chunk first, at the first one's score, and not again further down."""
    return [SearchHit(chunk, hits[0].score if hits else 0.0)] + [h for h in hits if h.chunk.id != chunk.id]


#: Where a sentence names what it says something of: "... a process called RLAIF", "known as ...".
_NAMES_IT = re.compile(r"\b(?:called|known as|termed|dubbed|refers? to)\b", re.IGNORECASE)
#: Words before a sentence's subject.
_DETERMINERS = frozenset({"the", "a", "an"})
#: The words a sentence opens with, where its subject is.
SUBJECT_WORDS = 4
#: The best passages of a side of a comparison that may say something of it.
SIDE_PASSAGES = 3


def _is_a_subject(side: str, retrieval: Retrieval) -> bool:
    """Whether one of the side's best passages says something of it, not only in passing: a heading names it, a
    sentence opens with it as its subject ("RLHF was the breakthrough ...", "Gemini Spark, announced ...") or names it
    as what it defines ("a process called Reinforcement Learning from AI Feedback (RLAIF)"); not "a 70B model on my
    Apple laptop", "In Western Europe the equivalent ...", "- Employees prefer Claude"."""
    words = content_words(side)
    for hit in retrieval.hits[:SIDE_PASSAGES]:
        if words <= content_words(hit.chunk.section or ""):
            return True
        for sentence in split_sentences(hit.chunk.text):
            said = list(words_of(sentence))
            while said and said[0].lower() in _DETERMINERS:
                said.pop(0)
            opening = said[:SUBJECT_WORDS]
            first = content_words(opening[0]) if opening else set()
            if first and first <= words and words <= content_words(" ".join(opening)):
                return True
            if words <= content_words(sentence) and _NAMES_IT.search(sentence):
                return True
    return False


def _says_something(text: str) -> bool:
    """Whether a passage is more than a few words (a bare framing line: “How Much Does GPT-4 Cost?”)."""
    return len(text.split()) >= LEAD_WORDS


def _pieces(text: str) -> list[str]:
    """Split a finished answer into word-sized deltas, so every mode streams the same way."""
    words = text.split(" ")
    return [w + (" " if i < len(words) - 1 else "") for i, w in enumerate(words) if w or i < len(words) - 1]


def _parts_asked(parts: list[AskedPart]) -> str:
    """Why parts of currents are covered: "asks for the counter-triggers of the Sovereignty current", with what a
    chapter lacks."""
    asked = " and ".join(parts[0].parts)
    if len(parts) == 1:
        lacking = f", which lists no {parts[0].missing_label}" if parts[0].missing else ""
        return f"asks for the {asked} of the {parts[0].current} current{lacking}"
    names = listed_names(tuple(p.current for p in parts))
    lacking = "".join(f"; the {p.current} chapter lists no {p.missing_label}" for p in parts if p.missing)
    return f"asks for the {asked} of the {names} currents{lacking}"


#: A question that ends on a pronoun or demonstrative standing for something before it ("... think of that?", "How
#: does each frame it?").
_ENDS_ON_REFERENCE = re.compile(r"\b(?:it|this|that|these|those|them)\W*$", re.IGNORECASE)


def _leans_on_context(asks: str) -> bool:
    """The part of a message that asks ends on what the sentences before it said, which it needs to be understood."""
    return bool(_ENDS_ON_REFERENCE.search(asks))
