from service.answering.extractive import says_little


def test_list_lead_ins_and_keyword_lists_say_little():
    assert says_little("Jevons Paradox occurs through:")
    assert says_little("Keywords: Jevons paradox, AI efficiency, resource consumption, energy crisis, exponential demand, sustainability")
    assert not says_little("OpenAI’s API calls grew 100x when prices dropped 10x.")
    assert not says_little("Meta, Google, Microsoft and xAI are racing to build clusters of 100,000 GPUs.")


async def test_extractive_answer_quotes_verbatim_sentences_with_markers_in_order(corpus_services):
    answer = (await corpus_services.answers.ask("How did demand for OpenAI's API respond when it cut prices?")).to_dict()
    assert answer["mode"] == "extractive" and answer["citations"]
    for n, citation in enumerate(answer["citations"], 1):
        assert f"{citation['quote']} [{n}]" in answer["answer"]
    assert not any(says_little(c["quote"]) for c in answer["citations"][:1])
