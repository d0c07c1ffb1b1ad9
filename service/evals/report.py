"""The model report card: JSON, Markdown and a standalone HTML page (no script, no CDN) with the metrics
side by side per model and split, one row per case that missed a metric (what was expected, what came
back, which metric failed), and the difference from the previous report with regressions flagged."""

from __future__ import annotations

import datetime as dt
import html
import json
from collections import Counter
from pathlib import Path

from service.evals.answers import failures
from service.evals.golden import ASKED_KINDS
from service.evals.retrieval import DEPTH, WORD_BUDGETS
from service.evals.runner import HIGHER_IS_BETTER

#: A change smaller than this is noise, not a regression (latency: relative change).
TOLERANCE = {"default": 0.005, "latency_ms_p50": 0.25, "latency_ms_p95": 0.25, "cost_usd_per_answer": 0.10}
SPLITS = ("dev", "heldout")
REACHED_NOTE = (
    f"reached@Nw ({', '.join(f'{n}' for n in WORD_BUDGETS)} words): the share of questions whose answering passage ends "
    "within the first N words of the results, read in rank order; a multi-document question counts once all its passages are reached."
)


def build_report(
    models: dict[str, dict], retrieval: dict, *, judge: dict | None = None, cases: int, previous: dict | None
) -> dict:
    """`retrieval` is runner.retrieval_run()'s result, or only its metrics (then no per-split or per-case retrieval)."""
    ranked = retrieval if "metrics" in retrieval else {"metrics": retrieval, "by_split": {}, "cases": {}}
    report = {
        "created": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "cases": cases,
        "retrieval": ranked["metrics"],
        "models": {
            name: {
                "metrics": run["metrics"],
                "errors": [{k: e[k] for k in ("id", "code", "message")} for e in run["errors"]],
            }
            for name, run in models.items()
        },
        "by_split": _by_split(models, ranked),
        "per_case": case_rows(models, ranked["cases"]),
        "judge": judge,
    }
    report["diff"] = diff(previous, report) if previous else []
    return report


def _by_split(models: dict[str, dict], ranked: dict) -> dict:
    """{split: {"retrieval": metrics, "models": {name: metrics}}}, only when the run covers both splits."""
    present = set(ranked["by_split"]).union(*(run.get("by_split", {}) for run in models.values()))
    return {
        split: {
            "retrieval": ranked["by_split"].get(split, {}),
            "models": {n: run.get("by_split", {}).get(split) for n, run in models.items()},
        }
        for split in SPLITS
        if split in present
    }


def case_rows(models: dict[str, dict], retrieval_cases: dict[str, dict]) -> list[dict]:
    """One row per case, in golden order: what it asked and expected, what each model answered, what it missed."""
    rows: dict[str, dict] = {}
    for name, run in models.items():
        for outcome in run.get("cases", []) + run["errors"]:
            if "kind" not in outcome:
                continue  # an error entry from an older runner: nothing to show the case by
            row = rows.setdefault(
                outcome["id"],
                {
                    **{k: outcome.get(k) for k in ("id", "kind", "split", "style", "question", "expected")},
                    "retrieval": retrieval_cases.get(outcome["id"]),
                    "models": {},
                },
            )
            if "code" in outcome:
                got = {
                    "error": f"{outcome['code']}: {outcome['message']}",
                    "failed": [{"metric": "errors", "detail": outcome["code"]}],
                }
            else:
                got = {k: outcome.get(k) for k in ("answer", "supported", "cited")} | {"failed": failures(outcome)}
            row["models"][name] = got
    for row in rows.values():
        missed = [f["metric"] for f in (row["retrieval"] or {}).get("failed", [])]
        missed += [f["metric"] for got in row["models"].values() for f in got["failed"]]
        row["failed"] = list(dict.fromkeys(missed))
    return list(rows.values())


def _all_metrics(report: dict) -> dict[tuple[str, str], float]:
    values = {("retrieval", k): v for k, v in report.get("retrieval", {}).items() if k != "cases"}
    for model, body in report.get("models", {}).items():
        values.update({(model, k): v for k, v in body["metrics"].items() if k != "cases" and v is not None})
    return values


def diff(previous: dict, current: dict) -> list[dict]:
    """Per (model, metric) present in both reports: the change, and whether it is a regression."""
    before, after = _all_metrics(previous), _all_metrics(current)
    rows = []
    for key in sorted(before.keys() & after.keys()):
        old, new = before[key], after[key]
        metric = key[1]
        higher = HIGHER_IS_BETTER.get(metric, True)
        tolerance = TOLERANCE.get(metric, TOLERANCE["default"])
        change = new - old
        relative = metric.startswith(("latency", "cost"))
        threshold = tolerance * abs(old) if relative else tolerance
        worse = (change < -threshold) if higher else (change > threshold)
        rows.append(
            {"model": key[0], "metric": metric, "before": old, "after": new, "change": change, "regression": worse}
        )
    return rows


def _fmt(value) -> str:
    if value is None:
        return "—"
    if isinstance(value, float):
        return f"{value:.3f}" if abs(value) < 10 else f"{value:.0f}"
    return str(value)


def _arrow(metric: str) -> str:
    return "" if metric not in HIGHER_IS_BETTER else " ↑" if HIGHER_IS_BETTER[metric] else " ↓"


def _retrieval_table(report: dict) -> tuple[list[str], list[tuple[str, list]]]:
    """Header and rows of the retrieval metrics: overall, then per split."""
    splits = [s for s in report.get("by_split", {}) if report["by_split"][s]["retrieval"]]
    columns = [report["retrieval"]] + [report["by_split"][s]["retrieval"] for s in splits]
    names = list(report["retrieval"])
    return ["all" if splits else "value", *splits], [(n, [c.get(n) for c in columns]) for n in names]


def _answer_table(report: dict) -> tuple[list[str], list[tuple[str, list]]]:
    """Header and rows of the answer metrics: per model, its overall column then one per split."""
    columns, header = [], []
    for model, body in report["models"].items():
        columns.append(body["metrics"])
        header.append(model)
        for split, part in report.get("by_split", {}).items():
            if part["models"].get(model):
                columns.append(part["models"][model])
                header.append(f"{model} · {split}")
    metrics = [m for m in HIGHER_IS_BETTER if any(c.get(m) is not None for c in columns)]
    return header, [(m, [c.get(m) for c in columns]) for m in metrics]


def _failure_counts(report: dict) -> list[tuple[str, int]]:
    counts = Counter(metric for row in report["per_case"] for metric in row["failed"])
    order = list(HIGHER_IS_BETTER)
    return sorted(counts.items(), key=lambda item: (-item[1], order.index(item[0]) if item[0] in order else len(order)))


def _expected_text(expected: dict) -> list[str]:
    parts = []
    if expected.get("must_refuse"):
        parts.append("must refuse")
    if expected.get("key_facts"):
        parts.append("key facts: " + "; ".join(f"“{f}”" for f in expected["key_facts"]))
    parts += [f"passage in {p['document']}: “{p['passage']}”" for p in expected.get("passages", [])]
    if expected.get("forbidden"):
        parts.append("never says: " + "; ".join(expected["forbidden"]))
    if expected.get("currents"):
        parts.append("currents: " + ", ".join(expected["currents"]))
    return parts


def _got_parts(got: dict) -> tuple[str, str]:
    """(what came back: answered or refused, and the documents cited; the answer excerpt)."""
    if "error" in got:
        return f"error {got['error']}", ""
    supported = got.get("supported")
    state = "returned" if supported is None else "answered" if supported else "refused"
    cited = f" · cites {', '.join(got['cited'])}" if got.get("cited") else " · cites nothing"
    return state + cited, f"“{got['answer']}”" if got.get("answer") else ""


def _got_text(got: dict) -> str:
    state, answer = _got_parts(got)
    return f"{state} — {answer}" if answer else state


def _retrieval_text(row: dict) -> str:
    """Where retrieval ranked the case's passage; a multi-document answer is reached with its last passage."""
    retrieval = row["retrieval"]
    if not retrieval:
        return ""
    words, rank = retrieval["words_to_answer"], retrieval["rank"] or "—"
    answer = "all passages" if len((row["expected"] or {}).get("passages", [])) > 1 else "answer"
    reached = f"{answer} after {words} words" if words is not None else f"{answer} not in the top {DEPTH} chunks"
    return f"retrieval: {'first passage at ' if answer != 'answer' else ''}rank {rank}, {reached}"


def _missed(row: dict) -> list[tuple[str, str, str]]:
    """(source, metric, detail) per miss; the source is retrieval or a model name."""
    misses = [("retrieval", f["metric"], f["detail"]) for f in (row["retrieval"] or {}).get("failed", [])]
    misses += [(model, f["metric"], f["detail"]) for model, got in row["models"].items() for f in got["failed"]]
    return misses


def _header_line(report: dict) -> str:
    split = f" · split {report['split']}" if report.get("split") else ""
    return f"{report['created']} · {report['cases']} golden cases{split} · models: {', '.join(report['models'])}"


def _md_cell(text: str) -> str:
    return " ".join(str(text).split()).replace("|", "\\|").replace("<", "&lt;")


def to_markdown(report: dict, *, with_cases: bool = True) -> str:
    """The report in Markdown; with_cases=False (a terminal summary) only counts the cases that missed a metric."""
    lines = [f"# Model report card — {report['created']}", "", _header_line(report), ""]
    lines += ["## Retrieval (shared by every model)", ""]
    if report["retrieval"]:
        header, rows = _retrieval_table(report)
        lines += ["| metric | " + " | ".join(header) + " |", "| --- |" + " --- |" * len(header)]
        lines += [f"| {m}{_arrow(m)} | " + " | ".join(_fmt(v) for v in values) + " |" for m, values in rows]
        lines += ["", REACHED_NOTE, ""]
    else:
        lines += ["No question in this run has a supporting passage to rank.", ""]
    header, rows = _answer_table(report)
    lines += ["## Answers", "", "| metric | " + " | ".join(header) + " |", "| --- |" + " --- |" * len(header)]
    lines += [f"| {m}{_arrow(m)} | " + " | ".join(_fmt(v) for v in values) + " |" for m, values in rows]
    lines += [
        "",
        "out_of_scope_answered: share of must-refuse questions answered; in_scope_refused: share of answerable questions refused.",
    ]
    if report.get("judge"):
        lines += ["", f"## LLM-as-judge ({report['judge']['model']}) — model-graded, not deterministic", ""]
        lines += [
            f"- {m}: faithfulness {_fmt(v['faithfulness'])}, correctness {_fmt(v['correctness'])}"
            for m, v in report["judge"]["scores"].items()
        ]
    lines += _markdown_cases(report, with_cases)
    regressions = [d for d in report["diff"] if d["regression"]]
    lines += ["", "## Change since the previous report", ""]
    if not report["diff"]:
        lines.append("No previous report to compare with.")
    else:
        lines.append(f"{len(regressions)} regression(s)." if regressions else "No regressions.")
        lines += [
            f"- **REGRESSION** {d['model']} {d['metric']}: {_fmt(d['before'])} → {_fmt(d['after'])}"
            for d in regressions
        ]
    return "\n".join(lines) + "\n"


def _by_kind(rows: list[dict]) -> dict[str, list[dict]]:
    """Rows grouped by kind, questions first (golden order within a kind)."""
    groups: dict[str, list[dict]] = {}
    for row in rows:
        groups.setdefault(row["kind"], []).append(row)
    order = [*ASKED_KINDS, "checklist", "briefing"]
    return dict(sorted(groups.items(), key=lambda item: order.index(item[0]) if item[0] in order else len(order)))


def _markdown_cases(report: dict, with_cases: bool) -> list[str]:
    failing = [r for r in report["per_case"] if r["failed"]]
    lines = ["", "## Cases that missed a metric", ""]
    if not report["per_case"]:
        return lines + ["No per-case results in this report."]
    lines.append(
        f"{len(failing)} of {len(report['per_case'])} cases missed at least one metric (every case is in report.json, `per_case`)."
    )
    if not failing:
        return lines
    lines += ["", "| metric | cases |", "| --- | --- |"] + [f"| {m} | {n} |" for m, n in _failure_counts(report)]
    if not with_cases:
        return lines + [
            "",
            "Each case, with what was expected, what came back and the metric it missed: report.md and report.html.",
        ]
    several = len(report["models"]) > 1
    for kind, rows in _by_kind(failing).items():
        lines += ["", f"### {kind} ({len(rows)})", ""]
        lines += [
            "| case | split · style | question | expected | got | missed |",
            "| --- | --- | --- | --- | --- | --- |",
        ]
        for row in rows:
            about = " · ".join(x for x in (row["split"], row["style"]) if x)
            got = [(f"**{m}**: " if several else "") + _got_text(g) for m, g in row["models"].items()]
            got += [_retrieval_text(row)] if row["retrieval"] else []
            missed = [
                f"**{metric}**" + (f" ({source})" if several else "") + f": {detail}"
                for source, metric, detail in _missed(row)
            ]
            cells = [[row["id"]], [about], [row["question"] or ""], _expected_text(row["expected"] or {}), got, missed]
            lines.append("| " + " | ".join("<br>".join(_md_cell(part) for part in cell) for cell in cells) + " |")
    return lines


def _bar_chart(title: str, values: dict[str, float | None], higher_is_better: bool) -> str:
    """An inline SVG bar chart (no script, no CDN)."""
    present = {k: v for k, v in values.items() if v is not None}
    top = max([abs(v) for v in present.values()] + [1e-9])
    scale_max = 1.0 if top <= 1.0 and not title.startswith(("latency", "cost", "errors")) else top
    row, width = 24, 300
    label = max([len(n) for n in values] + [8]) * 7 + 12
    height = row * len(values) + 32
    parts = [
        f'<svg role="img" aria-label="{html.escape(title)}" width="{label + width + 60}" height="{height}" xmlns="http://www.w3.org/2000/svg">'
    ]
    parts.append(
        f'<text x="0" y="16" font-size="13" font-weight="bold">{html.escape(title)} {"↑ higher is better" if higher_is_better else "↓ lower is better"}</text>'
    )
    for i, (name, value) in enumerate(values.items()):
        y = 26 + i * row
        parts.append(f'<text x="0" y="{y + 14}" font-size="12">{html.escape(name)}</text>')
        if value is None:
            parts.append(f'<text x="{label}" y="{y + 14}" font-size="12" fill="#777">n/a</text>')
            continue
        bar = max(1, int(width * abs(value) / scale_max))
        parts.append(f'<rect x="{label}" y="{y + 2}" width="{bar}" height="16" fill="#3b6ea8"/>')
        parts.append(f'<text x="{label + bar + 6}" y="{y + 14}" font-size="12">{_fmt(value)}</text>')
    parts.append("</svg>")
    return "".join(parts)


def _html_table(first: str, header: list[str], rows: list[tuple[str, list]]) -> str:
    head = "".join(f"<th>{html.escape(h)}</th>" for h in [first, *header])
    body = "".join(
        f'<tr><th scope="row">{html.escape(m + _arrow(m))}</th>'
        + "".join(f'<td class="num">{_fmt(v)}</td>' for v in values)
        + "</tr>"
        for m, values in rows
    )
    return f'<table class="metrics"><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>'


def _html_case_rows(rows: list[dict], several: bool) -> str:
    out = []
    for row in rows:
        about = " · ".join(x for x in (row["split"], row["style"]) if x)
        expected = "".join(f"<li>{html.escape(e)}</li>" for e in _expected_text(row["expected"] or {}))
        got = ""
        for model, outcome in row["models"].items():
            state, answer = _got_parts(outcome)
            got += f"<p>{f'<b>{html.escape(model)}</b>: ' if several else ''}<b>{html.escape(state)}</b></p>"
            got += f'<p class="quote">{html.escape(answer)}</p>' if answer else ""
        if row["retrieval"]:
            got += f'<p class="muted">{html.escape(_retrieval_text(row))}</p>'
        missed = (
            "".join(
                f'<li><b class="bad">{html.escape(metric)}</b>{f" ({html.escape(source)})" if several else ""}: {html.escape(detail)}</li>'
                for source, metric, detail in _missed(row)
            )
            or '<li class="good">every metric met</li>'
        )
        out.append(
            f'<tr id="case-{html.escape(row["id"], quote=True)}"><td><b>{html.escape(row["id"])}</b><br><span class="muted">{html.escape(about)}</span></td>'
            f"<td>{html.escape(row['question'] or '')}</td><td><ul>{expected}</ul></td><td>{got}</td><td><ul>{missed}</ul></td></tr>"
        )
    head = "<thead><tr><th>case</th><th>question</th><th>expected</th><th>got</th><th>missed</th></tr></thead>"
    return f'<table class="cases">{head}<tbody>{"".join(out)}</tbody></table>'


def _html_cases(report: dict) -> str:
    rows = report["per_case"]
    if not rows:
        return "<p>No per-case results in this report.</p>"
    failing = [r for r in rows if r["failed"]]
    passing = [r for r in rows if not r["failed"]]
    several = len(report["models"]) > 1
    groups = _by_kind(failing)
    counts = "".join(
        f"<tr><th scope='row'>{html.escape(m)}</th><td class='num'>{n}</td></tr>" for m, n in _failure_counts(report)
    )
    jump = " · ".join(
        f'<a href="#missed-{html.escape(k, quote=True)}">{html.escape(k)} ({len(v)})</a>' for k, v in groups.items()
    )
    parts = [f"<p>{len(failing)} of {len(rows)} cases missed at least one metric{': ' + jump if jump else '.'}</p>"]
    if failing:
        parts.append(
            f'<table class="metrics"><thead><tr><th>metric missed</th><th>cases</th></tr></thead><tbody>{counts}</tbody></table>'
        )
        for kind, group in groups.items():
            parts.append(
                f'<h3 id="missed-{html.escape(kind, quote=True)}">{html.escape(kind)} ({len(group)})</h3>{_html_case_rows(group, several)}'
            )
    if passing:
        parts.append(
            f"<details><summary>{len(passing)} cases met every metric</summary>{_html_case_rows(passing, several)}</details>"
        )
    return "".join(parts)


def to_html(report: dict) -> str:
    header, rows = _answer_table(report)
    charts = []
    for metric, values in rows:
        charts.append(
            f"<figure>{_bar_chart(metric, dict(zip(header, values, strict=True)), HIGHER_IS_BETTER[metric])}</figure>"
        )
    if report["retrieval"]:
        retrieval = (
            _html_table("metric", *_retrieval_table(report)) + f'<p class="muted">{html.escape(REACHED_NOTE)}</p>'
        )
    else:
        retrieval = "<p>No question in this run has a supporting passage to rank.</p>"
    judge = ""
    if report.get("judge"):
        items = "".join(
            f"<li>{html.escape(m)}: faithfulness {_fmt(v['faithfulness'])}, correctness {_fmt(v['correctness'])}</li>"
            for m, v in report["judge"]["scores"].items()
        )
        judge = f"<h2>LLM-as-judge ({html.escape(report['judge']['model'])}) — model-graded, not deterministic</h2><ul>{items}</ul>"
    regressions = [d for d in report["diff"] if d["regression"]]
    diff_html = (
        "<p>No previous report to compare with.</p>"
        if not report["diff"]
        else "<p>No regressions.</p>"
        if not regressions
        else "<ul>"
        + "".join(
            f'<li class="bad">REGRESSION {html.escape(d["model"])} {html.escape(d["metric"])}: {_fmt(d["before"])} → {_fmt(d["after"])}</li>'
            for d in regressions
        )
        + "</ul>"
    )
    failing = sum(1 for r in report["per_case"] if r["failed"])
    nav = (
        f'<nav><a href="#retrieval">Retrieval</a> · <a href="#answers">Answers</a> · <a href="#cases">Cases that missed a metric ({failing})</a>'
        ' · <a href="#change">Change since the previous report</a></nav>'
    )
    return f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Model report card</title>
<style>body{{font:15px/1.5 system-ui,sans-serif;max-width:80rem;margin:2rem auto;padding:0 1rem;color:#1d1d1f}}
h2{{margin-top:2rem;border-bottom:1px solid #ddd}} .muted{{color:#666;font-size:13px}} .bad{{color:#b00020}} .good{{color:#1b7a36}}
table{{border-collapse:collapse;margin:.5rem 0}} th,td{{border:1px solid #ddd;padding:.25rem .6rem;text-align:left;vertical-align:top}}
thead th{{background:#f3f4f6}} td.num{{text-align:right;font-variant-numeric:tabular-nums}}
table.cases{{width:100%;table-layout:fixed;font-size:13px;line-height:1.4}} table.cases td{{overflow-wrap:anywhere}}
table.cases th:nth-child(1){{width:12%}} table.cases th:nth-child(2){{width:19%}} table.cases th:nth-child(3){{width:24%}}
table.cases th:nth-child(4){{width:26%}} table.cases th:nth-child(5){{width:19%}} .quote{{color:#444;border-left:3px solid #ccd;padding-left:.4rem}}
h3{{margin:1.2rem 0 .2rem}}
table.cases tbody tr:nth-child(even){{background:#fafafa}} table.cases ul{{margin:0;padding-left:1rem}} table.cases p{{margin:0 0 .3rem}}
.charts{{display:flex;flex-wrap:wrap;gap:0 2rem}} figure{{margin:.5rem 0}} summary{{cursor:pointer;margin:1rem 0}}</style>
</head><body>
<h1>Model report card</h1>
<p>{html.escape(_header_line(report))}</p>
{nav}
<h2 id="retrieval">Retrieval (shared by every model)</h2>{retrieval}
<h2 id="answers">Answers, side by side</h2>
{_html_table("metric", header, rows)}
<p class="muted">out_of_scope_answered: share of must-refuse questions answered · in_scope_refused: share of answerable questions refused.</p>
<details><summary>One chart per metric</summary><div class="charts">{"".join(charts)}</div></details>
{judge}
<h2 id="cases">Cases that missed a metric</h2>{_html_cases(report)}
<h2 id="change">Change since the previous report</h2>{diff_html}
</body></html>
"""


def write_report(report: dict, out_dir: Path) -> dict[str, Path]:
    out_dir.mkdir(parents=True, exist_ok=True)
    paths = {"json": out_dir / "report.json", "markdown": out_dir / "report.md", "html": out_dir / "report.html"}
    temporary = {k: p.with_suffix(p.suffix + ".tmp") for k, p in paths.items()}
    temporary["json"].write_text(json.dumps(report, indent=2, ensure_ascii=False), encoding="utf-8")
    temporary["markdown"].write_text(to_markdown(report), encoding="utf-8")
    temporary["html"].write_text(to_html(report), encoding="utf-8")
    for kind, path in paths.items():
        temporary[kind].replace(path)  # the previous report is replaced only by a complete new one
    return paths


def load_previous(out_dir: Path) -> dict | None:
    path = out_dir / "report.json"
    return json.loads(path.read_text(encoding="utf-8")) if path.is_file() else None
