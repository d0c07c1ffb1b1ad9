"""News lines that each paraphrase one trigger signal of the booklet (without copying its wording)."""

PARAPHRASED_NEWS = [
    ("Shares of OpenAI fell 40% within three months of its stock market debut", "OpenAI or Anthropic IPO valuations correct"),
    ("Three AI-native startups were acqui-hired or shut down this quarter, echoing what happened to Inflection", "Multiple AI-native startups fail"),
    ("A GPU cloud provider defaulted on its data-center loans and wrote down its idle hardware", "Major AI-related debt defaults"),
    ("GPT-4-class output now sells for under ten cents per million tokens", "Inference costs drop below $0.10"),
    ("An open-weight model matched the newest proprietary frontier model just two weeks after its launch", "Open-source model matches frontier proprietary"),
    ("Brussels adopts rules requiring AI inference and model weights for public services to stay on-shore", "New sovereign-AI regulations"),
    ("A US-EU-China diplomatic agreement restores cross-border access to each other's AI vendors", "diplomatic settlement"),
    ("A federal judge rules against OpenAI in the New York Times lawsuit over training on copyrighted articles", "Major copyright ruling against AI training"),
    ("Enterprise AI purchasing contracts now routinely budget for evaluation and red-team staff", "Evaluation / red-team roles"),
    ("AI vendors started reporting what an hour of agent work costs next to their accuracy scores", "Vendors begin publishing agent cost-per-hour"),
    ("The next generation of frontier models shows a huge, undeniable leap in capability over the last one", "Next-generation models (GPT-5, Claude 5)"),
    ("Several large companies now run autonomous agents for days at a time in production, with audited returns", "Multi-day autonomous agents enter production"),
]
