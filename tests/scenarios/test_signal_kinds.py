"""Reading a trigger signal by its kind: jargon in plain words, the core claim, the direction of a trend."""

from service.scenarios.signal_kinds import core_claim, direction, plain_words


def test_jargon_is_followed_by_its_plain_words_and_kept():
    assert plain_words("Hyperscaler capex guidance flattens") == (
        "Hyperscaler (big cloud provider such as Alphabet, Amazon, Microsoft or Meta) capex (capital spending) guidance flattens"
    )
    assert (
        plain_words("CoreWeave-style stranded asset writedowns")
        == "CoreWeave (GPU cloud provider)-style stranded asset writedowns"
    )
    assert plain_words("a US/EU/CN diplomatic settlement") == "a US/EU/CN (China) diplomatic settlement"


def test_jargon_inside_another_word_is_left_alone():
    assert plain_words("capexes CNN ROIs") == "capexes CNN ROIs"


def test_the_core_claim_drops_examples_and_the_elaboration():
    assert (
        core_claim("GPU rental prices continue falling — H100 rates already down ~70% from peak")
        == "GPU rental prices continue falling"
    )
    assert (
        core_claim("Next-generation models (GPT-5, Claude 5) show a large jump")
        == "Next-generation models show a large jump"
    )
    assert (
        core_claim("Vendors begin publishing agent cost-per-hour benchmarks")
        == "Vendors begin publishing agent cost-per-hour benchmarks"
    )


def test_direction_of_a_trend():
    assert direction("Hyperscaler capex guidance continues rising >30% year-over-year") == 1
    assert direction("Big tech lifted its budgets") == 1
    assert direction("Hyperscaler capex guidance flattens or declines") == -1
    assert direction("Cloud giants slow the growth of their chip spending") == -1  # a slowing growth is a fall
    assert direction("Three AI startups shut down") == -1
    assert direction("Hyperscaler capex shifts visibly from training to inference") == 0
