"""Questions about the corpus itself: which documents it holds ("what documents do you have?", "what can you help me
with?"), and who wrote one, when or where it appeared ("who wrote the Jevons essay?"). They are answered from the
documents' front matter, which every chunk carries, and not from passages: no passage says "this essay was written
by". So is who one of its authors is ("Who is Gennaro Cuofano?"): the works they wrote. Each document named is cited by
its opening passage, so the reader can open it."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Literal

from service.answering.citations import Citation, VerifiedAnswer
from service.corpus.chunking import Chunk
from service.text import content_words, split_sentences, words_of

LibraryKind = Literal["catalogue", "author", "date", "publication", "writer"]

_LEAD = r"^\W*(?:(?:ok(?:ay)?|so|hi|hey|hello|please|and|first|quick question)\b[\s,:!]*)*"
_END = r"\s*(?:,?\s*(?:please|then|exactly|again))?\s*[?.!]*\s*$"
_DOCUMENTS = (
    r"(?:documents?|sources?|essays?|posts?|texts?|materials?|files?|articles?|books?|papers?|readings?|content)"
)
#: A question that asks what the corpus holds, or what the assistant can be asked: the whole message.
_CATALOGUE = re.compile(
    _LEAD + r"(?:"
    rf"(?:what|which)\s+(?:{_DOCUMENTS}|topics?|subjects?)\s+(?:do|can|did)\s+you\s+(?:have|hold|know|use|cover|draw on|"
    r"rely on|search|cite|answer from|know about)(?:\s+access\s+to)?|"
    rf"(?:what|which)\s+{_DOCUMENTS}\s+(?:are|is)\s+(?:there|in\s+(?:the|your)\s+(?:corpus|library|knowledge\s+base)|"
    r"available|indexed)|"
    r"what(?:'s|\s+is)\s+in\s+(?:the|your)\s+(?:corpus|library|knowledge\s+base|index|collection)|"
    r"what\s+(?:does|is)\s+(?:the|your)\s+(?:corpus|library|knowledge\s+base)(?:\s+(?:hold|contain|cover|have))?|"
    rf"(?:list|show)\s+(?:me\s+)?(?:all\s+)?(?:the\s+|your\s+)?{_DOCUMENTS}(?:\s+you\s+have)?|"
    r"what\s+(?:can|could)\s+you\s+(?:help(?:\s+me)?\s+with|do|answer)|what\s+(?:can|could)\s+i\s+ask(?:\s+you)?(?:\s+about)?|"
    r"what\s+(?:do\s+you\s+know(?:\s+about)?|are\s+you(?:\s+for)?|is\s+this\s+(?:assistant|tool|bot|service))|"
    r"how\s+can\s+you\s+help(?:\s+me)?|what\s+kinds?\s+of\s+questions\s+can\s+(?:i|you)\s+(?:ask|answer)"
    r")" + _END,
    re.IGNORECASE,
)
_REF = r"(?P<ref>[^\s,;:][^,;:]*?)"  # one reference: no second clause after a comma
#: Who wrote a document: "who wrote the Jevons essay?", "who is the author of the booklet?".
_AUTHOR = re.compile(
    _LEAD + r"(?:who\s+(?:wrote|writes|authored|penned)\s+"
    r"|who(?:'s|\s+is|\s+was|\s+are|\s+were)\s+the\s+(?:authors?|writers?)\s+(?:of|behind)\s+)" + _REF + _END,
    re.IGNORECASE,
)
#: When it appeared: "when was the platform paradox essay published?", "what's the date of the podcast digest?".
_DATE = re.compile(
    _LEAD
    + r"(?:when\s+(?:was|were|did)\s+"
    + _REF
    + r"\s+(?:first\s+)?(?:written|published|released|come\s+out|appear|posted|dated)"
    r"|what(?:'s|\s+is)\s+the\s+(?:publication\s+)?date\s+of\s+" + _REF.replace("ref", "ref2") + r")" + _END,
    re.IGNORECASE,
)
#: Where it appeared: "where was the Jevons essay published?", "who published the flywheel essay?".
_PUBLICATION = re.compile(
    _LEAD
    + r"(?:where\s+(?:was|were|did)\s+"
    + _REF
    + r"\s+(?:first\s+)?(?:published|appear|come\s+from|posted)|who\s+published\s+"
    + _REF.replace("ref", "ref2")
    + r")"
    + _END,
    re.IGNORECASE,
)
#: Who someone is, or what they wrote: "who is Gennaro Cuofano?", "what did Robert Barcik write?" (answered so only
#: when they wrote works of the corpus: works_by).
_WRITER = re.compile(
    _LEAD + r"(?:who(?:'s|’s|\s+is|\s+was)\s+(?!(?:behind|the|an?|this|that|it|he|she|they|responsible|in|on|at|for|of|"
    r"about|winning|leading|doing|going|ahead|best|most|more)\b)"
    + _REF
    + r"|(?:what|which\s+(?:essays?|works?|documents?|pieces?|articles?))\s+(?:did|has|does)\s+"
    + _REF.replace("ref", "ref2")
    + r"\s+(?:write|written|wrote))"
    + _END,
    re.IGNORECASE,
)
_ASKED: list[tuple[LibraryKind, re.Pattern[str]]] = [
    ("author", _AUTHOR),
    ("date", _DATE),
    ("publication", _PUBLICATION),
    ("writer", _WRITER),  # last: "who is the author of ..." asks the author
]


#: A question asking which documents of the corpus mention something, and nothing else: "Which essays talk about
#: Meta?", "which chapters mention vendor concentration?", "where does the corpus mention CUDA?".
_MENTIONS = re.compile(
    _LEAD + r"(?:(?:which|what)\s+(?:of\s+(?:the|your)\s+)?(?P<kind>" + _DOCUMENTS + r"|chapters?|pieces?|docs)\s+"
    r"(?:talks?\s+about|mentions?|discuss(?:es)?|covers?|deals?\s+with|touch(?:es)?\s+on|refers?\s+to|names?)|"
    r"where\s+(?:does|do)\s+(?:the|your)\s+(?:corpus|documents|sources|library)\s+(?:mention|discuss|talk\s+about))\s+"
    r"(?:(?:the|a|an)\s+)?(?P<name>[^?!]+?)" + _END,
    re.IGNORECASE,
)


def mentions_asked(question: str) -> str | None:
    """What a question asks which documents mention (_MENTIONS): "Meta" of "Which essays talk about Meta?"."""
    match = _MENTIONS.match(" ".join(question.split()))
    name = match.group("name").strip(" \"'“”‘’") if match else ""
    # a name, not a pronoun or words with no content ("which essays mention this?", "... it?", "... - ?")
    return name if content_words(name) else None


#: The kind of document a question asking which mention something names, as the front matter writes it.
_KIND_ASKED = [
    (re.compile(r"chapters?", re.IGNORECASE), "booklet chapter"),
    (re.compile(r"essays?|articles?|posts?|pieces?", re.IGNORECASE), "essay"),
]
#: How an answer counts the documents of a kind: "2 chapters".
KIND_NOUNS = {"booklet chapter": "chapter", "essay": "essay"}


def kind_mentioning(question: str) -> str:
    """The kind of document a question asks which of mention something (_MENTIONS): "booklet chapter" of "Which
    chapters mention agents?", "essay" of "Which essays talk about Meta?"; "" for documents of any kind."""
    match = _MENTIONS.match(" ".join(question.split()))
    asked = (match.group("kind") or "") if match else ""
    return next((kind for pattern, kind in _KIND_ASKED if pattern.fullmatch(asked)), "")


def mentioning(chunks: list[Chunk], name: str, noun: str = "document") -> VerifiedAnswer | None:
    """The documents whose text names `name` as written (a whole word or phrase, hyphenated or not, in any case when it
    is typed in lower case), the most mentions first, each with the first sentence naming it as its cited quote, counted
    as `noun`s ("chapter"); None when none does (the question is then asked as any other, and refused when nothing is
    close)."""
    # "vendor concentration" or "vendor-concentration"; "innovator's" or "innovator’s"
    spelled = re.sub("['’]", lambda _: "['’]", r"[\s-]+".join(re.escape(w) for w in name.split()))
    # a name typed with a capital is that name ("Meta", not "the meta level"; "Windows", not "context windows")
    named = re.compile(rf"(?<![\w-]){spelled}(?![\w-])", 0 if name != name.lower() else re.IGNORECASE)
    found: dict[str, tuple[Chunk, str]] = {}
    counts: dict[str, int] = {}
    for chunk in chunks:
        times = len(named.findall(chunk.text))
        if not times:
            continue
        counts[chunk.document_id] = counts.get(chunk.document_id, 0) + times
        if chunk.document_id not in found:
            paragraphs = (line.strip() for line in chunk.text.splitlines())
            sentence = next((s for line in paragraphs for s in split_sentences(line) if named.search(s)), None)
            if sentence is not None:
                found[chunk.document_id] = (chunk, sentence)
    if not found:
        return None
    order = sorted(found, key=lambda d: -counts[d])  # stable: the corpus's order among equals
    citations = [Citation(found[d][0], found[d][1]) for d in order]
    lines = [
        f"- “{found[d][0].document_title}”, {counts[d]} mention{'s' if counts[d] > 1 else ''} [{i}]: {found[d][1]}"
        for i, d in enumerate(order, 1)
    ]
    documents = f"{len(order)} {noun}s" if len(order) > 1 else f"one {noun}"
    return VerifiedAnswer(f"“{name}” is mentioned in {documents} of the corpus:\n\n" + "\n".join(lines), citations)


@dataclass(frozen=True)
class LibraryQuestion:
    kind: LibraryKind
    #: How the question refers to the document it asks about ("the Jevons essay"); empty for the catalogue.
    reference: str = ""
    #: The kind of work a catalogue question asks for ("which essays do you have?": "essay"); empty: every kind.
    works_of: str = ""


#: The kind of work a catalogue question names: "essays" are the corpus's essays only.
_ESSAYS = re.compile(r"\b(?:essays?|articles?|posts?)\b", re.IGNORECASE)


def library_asked(question: str) -> LibraryQuestion | None:
    """What a question asks about the corpus itself, if that is all it asks."""
    text = " ".join(question.split())
    if _CATALOGUE.match(text):
        return LibraryQuestion("catalogue", works_of="essay" if _ESSAYS.search(text) else "")
    for kind, pattern in _ASKED:
        match = pattern.match(text)
        if match:
            reference = next(v for k, v in match.groupdict().items() if k.startswith("ref") and v)
            return LibraryQuestion(kind, reference)
    return None


@dataclass(frozen=True)
class Work:
    """A document, or a work of several (the booklet and its chapters), with what its front matter says."""

    title: str
    kind: str
    author: str | None
    publication: str | None
    date: str | None
    #: The opening chunk of each document of the work, in order: what cites it.
    openings: tuple[Chunk, ...]


def works(openings: list[Chunk]) -> list[Work]:
    """The corpus's works from its documents' opening chunks (in document order): a document on its own, or the
    chapters of one series together under the title of the series (the booklet, whose introduction bears it)."""
    series: dict[str, list[Chunk]] = {}
    alone: list[Chunk] = []
    for chunk in openings:
        if chunk.series:
            series.setdefault(chunk.series, []).append(chunk)
        else:
            alone.append(chunk)
    found = []
    for chunk in alone:
        chapters = series.pop(chunk.document_title, [])
        found.append(work_of(chunk.document_title, [chunk, *chapters]))
    found += [work_of(title, chapters) for title, chapters in series.items()]
    return sorted(found, key=lambda w: w.title.lower().removeprefix("the "))


def work_of(title: str, openings: list[Chunk]) -> Work:
    """The work of these documents (their opening chunks, in order) under a title: one document, or the chapters of
    a booklet, whose author and date are the first any of them records."""
    first = openings[0]
    kind = "booklet" if len(openings) > 1 and "chapter" in openings[-1].kind else first.kind
    author = next((c.author for c in openings if c.author), None)
    date = next((c.date for c in openings if c.date), None)
    return Work(title, kind, author, first.publication, date, tuple(openings))


def work_called(all_works: list[Work], documents: tuple[str, ...], openings: dict[str, Chunk]) -> Work | None:
    """The work a reference calls (`documents`, as HybridRetriever.documents_called gives them): a whole work, or one
    document of it on its own ("the Sovereignty chapter")."""
    whole = next((w for w in all_works if tuple(c.document_id for c in w.openings) == documents), None)
    if whole is not None or len(documents) != 1 or documents[0] not in openings:
        return whole
    opening = openings[documents[0]]
    return work_of(opening.document_title, [opening])


def _date(value: str) -> str:
    """A front-matter date as a reader writes it: "2025-09-04" -> "4 September 2025"; a year stays as it is."""
    try:
        day = dt.date.fromisoformat(value)
    except ValueError:
        return value
    return f"{day.day} {day:%B %Y}"


def _described(work: Work) -> str:
    """“Title” — essay by Author, Publication, 4 September 2025."""
    parts = [work.kind + (f" by {work.author}" if work.author else "")]
    parts += [p for p in (work.publication, _date(work.date) if work.date else None) if p]
    return f"“{work.title}” — {', '.join(parts)}"


def _stated(work: Work) -> str:
    """“Title” is an essay by Author, published in Publication on 4 September 2025."""
    kind = f"{'an' if work.kind[:1] in 'aeiou' else 'a'} {work.kind}" + (f" by {work.author}" if work.author else "")
    published = f" in {work.publication}" if work.publication else ""
    if work.date:
        published += f" {'in' if work.date.isdigit() else 'on'} {_date(work.date)}"
    return f"“{work.title}” is {kind}" + (f", published{published}" if published else "")


def _opening_quote(chunk: Chunk) -> str:
    """The first sentence of a chunk, as its citation's verbatim quote."""
    line = next((line.strip() for line in chunk.text.splitlines() if line.strip()), chunk.text.strip())
    return next(iter(split_sentences(line)), line)


class _Cited:
    """Citations numbered in the order they are first used."""

    def __init__(self) -> None:
        self.citations: list[Citation] = []

    def mark(self, chunk: Chunk) -> str:
        self.citations.append(Citation(chunk, _opening_quote(chunk)))
        return f"[{len(self.citations)}]"


def catalogue(all_works: list[Work], works_of: str = "") -> VerifiedAnswer:
    """Every work of the corpus, or of the kind asked for ("essay"), each cited by its opening; a work of chapters with
    its chapters."""
    listed = [w for w in all_works if not works_of or w.kind == works_of] or all_works
    cited = _Cited()
    lines = []
    for work in listed:
        if len(work.openings) == 1:
            lines.append(f"- {_described(work)} {cited.mark(work.openings[0])}")
            continue
        chapters = ", ".join(
            f"{'its introduction' if c.document_title == work.title else c.document_title} {cited.mark(c)}"
            for c in work.openings
        )
        lines.append(f"- {_described(work)}, in {len(work.openings)} chapters: {chapters}")
    if len(listed) < len(all_works):
        others = " and ".join(f"a {w.kind}" for w in all_works if w not in listed)
        opening = f"The corpus holds {len(listed)} {works_of}{'' if len(listed) == 1 else 's'} (besides {others}):"
    else:
        opening = f"I answer from {len(all_works)} works ({len(cited.citations)} documents), and only from them:"
    text = (
        opening
        + "\n\n"
        + "\n".join(lines)
        + "\n\nAsk what a framework means (“what is the platform paradox?”), what a document says about a company, "
        "or a current's trigger signals; `/v1/search` browses the passages."
    )
    return VerifiedAnswer(text, cited.citations)


def works_by(all_works: list[Work], name: str) -> VerifiedAnswer | None:
    """What the corpus records of someone who wrote works of it ("Who is Gennaro Cuofano?", "what did Barcik
    write?"): those works, each cited by its opening; None when the name (every word of it) is no work's author."""
    named = set(words_of(name))
    written = [w for w in all_works if w.author and named and named <= set(words_of(w.author))]
    if not written:
        return None
    cited = _Cited()
    lines = [f"- {_described(work)} {cited.mark(work.openings[0])}" for work in written]
    count = f"{len(written)} of the works" if len(written) > 1 else "one of the works"
    text = (
        f"{written[0].author} is the author of {count} I answer from; the corpus records nothing else about "
        f"them:\n\n" + "\n".join(lines)
    )
    return VerifiedAnswer(text, cited.citations)


def about_work(work: Work, kind: LibraryKind) -> VerifiedAnswer:
    """Who wrote a work, or when or where it appeared, as its front matter says; refused when it does not say."""
    known = {"author": work.author, "date": work.date, "publication": work.publication}[kind]
    if known is None:  # said plainly, without a citation: no passage or field of the corpus holds it
        missing = {
            "author": f"who wrote “{work.title}”",
            "date": f"when “{work.title}” appeared",
            "publication": f"where “{work.title}” appeared",
        }[kind]
        return VerifiedAnswer(
            f"The corpus does not record {missing}. What it records: {_stated(work)}.", [], refused=True
        )
    cited = _Cited()
    return VerifiedAnswer(f"{_stated(work)} {cited.mark(work.openings[0])}.", cited.citations)
