"""/strategy subcommands on the real app: a question posted, the reply in its thread; help, usage, rate limit."""

from __future__ import annotations

import asyncio

from service.slack import blocks as kit
from service.slack.limits import RateLimiter
from tests.slack.conftest import CHANNEL, TEAM, USER, ask_directly, command_form, mention

QUESTION = "What does the blitzscaling essay call the death zone?"


def test_ask_posts_the_question_then_answers_in_its_thread(slack, corpus_services):
    response = slack.command(f"ask {QUESTION}")
    assert response.status_code == 200 and response.content == b""  # acknowledged at once, nothing shown yet
    question, answer = slack.fake.wait_for("chat.postMessage", 2)
    assert question == {
        "channel": CHANNEL,
        "text": f"<@{USER}> asked: {QUESTION}",
        "blocks": [{"type": "section", "text": {"type": "mrkdwn", "text": f"<@{USER}> asked:\n>{QUESTION}"}}],
        "metadata": {"event_type": "strategy_question", "event_payload": {"kind": "ask", "question": QUESTION}},
        "team_id": TEAM,
    }
    question_ts = slack.fake.results_of("chat.postMessage")[0]["ts"]
    expected = ask_directly(corpus_services, QUESTION)
    assert answer == {
        "channel": CHANNEL,
        "thread_ts": question_ts,
        "text": expected.answer,
        "blocks": kit.answer_blocks(expected, f"{CHANNEL}-{question_ts}"),
        "unfurl_links": False,
        "unfurl_media": False,
        "team_id": TEAM,
    }


def test_a_follow_up_in_a_command_thread_reads_the_posted_question_back(slack, corpus_services):
    slack.command(f"ask {QUESTION}")
    _, first = slack.fake.wait_for("chat.postMessage", 2)
    parent = first["thread_ts"]
    follow_up = "And how many GPUs is that?"
    slack.fake.threads[(CHANNEL, parent)] = [
        {
            "type": "message",
            "user": "UBOT",
            "bot_id": "BBOT",
            "text": f"<@{USER}> asked: {QUESTION}",
            "ts": parent,
            "metadata": {"event_type": "strategy_question", "event_payload": {"kind": "ask", "question": QUESTION}},
        },
        {
            "type": "message",
            "user": "UBOT",
            "bot_id": "BBOT",
            "text": first["text"],
            "ts": "1800000000.900000",
            "thread_ts": parent,
        },
        {
            "type": "message",
            "user": USER,
            "text": f"<@UBOT> {follow_up}",
            "ts": "1800000000.950000",
            "thread_ts": parent,
        },
    ]
    slack.event(mention(follow_up, "1800000000.950000", thread_ts=parent), "Ev-command-follow-up")
    reply = slack.fake.wait_for("chat.postMessage", 3)[2]
    history = [{"role": "user", "content": QUESTION}, {"role": "assistant", "content": first["text"]}]
    assert reply["blocks"] == kit.answer_blocks(
        ask_directly(corpus_services, follow_up, history=history), f"{CHANNEL}-1800000000.950000"
    )


def test_help_and_usage_are_answered_privately_in_the_acknowledgement(slack):
    for text in ("help", ""):
        response = slack.command(text)
        assert response.status_code == 200
        assert response.json() == {
            "text": "How to use /strategy",
            "blocks": kit.help_blocks(),
            "response_type": "ephemeral",
        }
    unknown = slack.command("frobnicate the roadmap").json()
    assert unknown["response_type"] == "ephemeral" and unknown["text"] == "I don't know `frobnicate`."
    assert unknown["blocks"][0]["text"]["text"] == ":information_source: I don't know `frobnicate`."
    empty = slack.command("ask").json()
    assert empty["text"] == "`ask` needs a question after it."
    slack.wait_idle()  # each command's lazy listener ran, and found it had been answered already
    # nothing was posted (Bolt's own auth.test, its identity lookup on an app's first request, is not a post)
    assert slack.listeners.started == ["_run_command"] * 4
    assert [c.method for c in slack.fake.calls if c.method != "auth.test"] == []


def test_the_per_user_rate_limit_answers_with_a_friendly_message(slack):
    slack.bot.limiter = RateLimiter(2)
    assert slack.command(f"ask {QUESTION}").content == b""
    assert slack.event(mention(QUESTION, "1700000020.000100"), "Ev-rate-1").status_code == 200
    limited = slack.command(f"ask {QUESTION}").json()
    assert limited["response_type"] == "ephemeral" and limited["text"].startswith(
        ":hourglass_flowing_sand: You're asking faster"
    )
    assert "up to 2 requests a minute" in limited["text"]
    assert slack.event(mention(QUESTION, "1700000020.000200"), "Ev-rate-2").status_code == 200
    [ephemeral] = slack.fake.wait_for("chat.postEphemeral")
    assert (
        ephemeral["channel"] == CHANNEL and ephemeral["user"] == USER and ephemeral["thread_ts"] == "1700000020.000200"
    )
    assert ephemeral["text"].startswith(
        ":hourglass_flowing_sand: You're asking faster than I can keep up — up to 2 requests a minute."
    )
    # another user is not limited
    slack.event(mention(QUESTION, "1700000020.000300", user="U0002"), "Ev-rate-3")
    slack.fake.wait_for("chat.postMessage", 4)  # question + answer, the first mention, the other user's
    slack.wait_idle()
    posted = slack.fake.calls_to("chat.postMessage")
    assert len(posted) == 4 and {p.get("thread_ts") for p in posted} >= {"1700000020.000100", "1700000020.000300"}
    assert "1700000020.000200" not in {p.get("thread_ts") for p in posted}


def test_where_the_bot_is_not_a_member_the_answer_comes_privately_through_response_url(slack, corpus_services):
    slack.fake.failures[("chat.postMessage", "C0404")] = "not_in_channel"
    body = command_form(f"ask {QUESTION}", response_url=slack.fake.response_url(), channel="C0404")
    assert slack.post(body, "application/x-www-form-urlencoded").status_code == 200
    [private] = slack.fake.wait_for("response_url")
    expected = ask_directly(corpus_services, QUESTION)
    assert private["response_type"] == "ephemeral" and private["replace_original"] is False
    assert private["blocks"][:-1] == kit.answer_blocks(expected, "C0404-1337.42.abcd")
    assert "/invite @Strategy" in private["blocks"][-1]["elements"][0]["text"]


def test_checklist_brief_signal_and_currents_reply_in_threads(slack, corpus_services):
    scenarios = corpus_services.scenarios
    context = "A regional bank planning on-shore inference for customer data"
    slack.command(f"checklist {context} | Sovereignty")
    _, checklist = slack.fake.wait_for("chat.postMessage", 2)
    expected = asyncio.run(scenarios.checklist(context, ["Sovereignty"]))
    assert checklist["blocks"] == kit.checklist_blocks(expected, f"{CHANNEL}-{checklist['thread_ts']}")
    assert checklist["blocks"][0] == {
        "type": "header",
        "text": {"type": "plain_text", "text": "Trigger checklist: Sovereignty", "emoji": True},
    }
    assert checklist["text"] == expected.markdown

    slack.fake.reset()
    slack.command("brief Jevons paradox and token prices")
    _, briefing = slack.fake.wait_for("chat.postMessage", 2)
    expected = asyncio.run(scenarios.briefing("Jevons paradox and token prices"))
    assert briefing["blocks"] == kit.briefing_blocks(expected, f"{CHANNEL}-{briefing['thread_ts']}")

    slack.fake.reset()
    news = "EU passes a law requiring AI inference on European soil"
    slack.command(f"signal {news}")
    _, signal = slack.fake.wait_for("chat.postMessage", 2)
    assert (
        signal["blocks"][1]["text"]["text"]
        .splitlines()[1]
        .startswith("• *Sovereignty* — Trigger: New sovereign-AI regulations requiring on-shore inference")
    )
    assert scenarios.list_signals()[0].text == news

    slack.fake.reset()
    slack.command("currents")
    question, currents = slack.fake.wait_for("chat.postMessage", 2)
    assert question["text"] == f"<@{USER}> asked for the booklet's currents"
    assert currents["blocks"] == kit.currents_blocks(scenarios.list_currents())
    assert [b["text"]["text"].split("*")[1] for b in currents["blocks"][1:7]] == [
        "1. Continued Scaling",
        "2. Efficiency Revolution",
        "3. Financial Correction",
        "4. Sovereignty",
        "5. From Lab to Production",
        "6. Hours and Dollars",
    ]


def test_an_unknown_current_is_explained_in_the_thread(slack):
    slack.command("checklist a bank | Narnia")
    _, reply = slack.fake.wait_for("chat.postMessage", 2)
    assert reply["text"].startswith("I couldn't do that: Unknown current 'Narnia'. Valid currents: Continued Scaling")
    assert reply["blocks"] == [{"type": "section", "text": {"type": "mrkdwn", "text": ":warning: " + reply["text"]}}]


def test_text_beyond_the_api_limits_is_refused_in_the_acknowledgement_and_nothing_is_stored(slack, corpus_services):
    before = len(corpus_services.scenarios.list_signals())
    news = "EU law on on-shore inference " * 1100  # ~31,000 characters: the HTTP API takes 4,000
    refused = slack.command(f"signal {news}").json()
    assert refused["response_type"] == "ephemeral"
    assert refused["text"] == f"`signal` takes at most 4,000 characters (this is {len(news.strip()):,}): shorten it."
    for kind, limit in (("ask", 2000), ("brief", 2000), ("checklist", 4000)):
        assert f"at most {limit:,} characters" in slack.command(f"{kind} {'x' * (limit + 1)}").json()["text"]
    mention_text = "why " * 600  # 2,400 characters by mention
    slack.event(mention(mention_text, "1700000030.000100"), "Ev-long-mention")
    [reply] = slack.fake.wait_for("chat.postMessage")
    assert reply["text"] == "A question takes at most 2,000 characters (this is 2,399): please shorten it."
    slack.wait_idle()
    assert len(corpus_services.scenarios.list_signals()) == before
    assert (
        len(slack.fake.calls_to("chat.postMessage")) == 1
    )  # only the reply to the mention: no command reached the service


def test_a_checklist_naming_one_current_three_ways_lists_it_once(slack, corpus_services):
    slack.command("checklist a European bank | Sovereignty, sovereignty, 4")
    _, reply = slack.fake.wait_for("chat.postMessage", 2)
    once = asyncio.run(corpus_services.scenarios.checklist("a European bank", ["Sovereignty"]))
    assert reply["text"] == once.markdown
    assert reply["text"].count("- [ ] ") == len(once.items) == len({i.signal for i in once.items})
