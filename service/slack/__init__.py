"""The Slack bot: the same grounded answers, checklists and briefings in team channels, over HTTP events or Socket Mode."""
