"""The model report card: JSON, Markdown and a standalone HTML page with a chart per metric,
plus the difference from the previous report with regressions flagged."""

from __future__ import annotations

import datetime as dt
import html
import json
from pathlib import Path

from service.evals.runner import HIGHER_IS_BETTER

#: A change smaller than this is noise, not a regression (latency: relative change).
TOLERANCE = {"default": 0.005, "latency_ms_p50": 0.25, "latency_ms_p95": 0.25, "cost_usd_per_answer": 0.10}


def build_report(models: dict[str, dict], retrieval: dict, *, judge: dict | None = None, cases: int, previous: dict | None) -> dict:
    report = {
        "created": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "cases": cases,
        "retrieval": retrieval,
        "models": {name: {"metrics": run["metrics"], "errors": run["errors"]} for name, run in models.items()},
        "judge": judge,
    }
    report["diff"] = diff(previous, report) if previous else []
    return report


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
        rows.append({"model": key[0], "metric": metric, "before": old, "after": new, "change": change, "regression": worse})
    return rows


def _fmt(value) -> str:
    if value is None:
        return "—"
    if isinstance(value, float):
        return f"{value:.3f}" if abs(value) < 10 else f"{value:.0f}"
    return str(value)


def to_markdown(report: dict) -> str:
    models = list(report["models"])
    metrics = [m for m in HIGHER_IS_BETTER if any(report["models"][x]["metrics"].get(m) is not None for x in models)]
    lines = [f"# Model report card — {report['created']}", "", f"{report['cases']} golden cases.", ""]
    if report["retrieval"]:
        lines += ["## Retrieval (shared by every model)", "", "| metric | value |", "| --- | --- |"]
        lines += [f"| {k} | {_fmt(v)} |" for k, v in report["retrieval"].items()] + [""]
    lines += ["## Answers", "", "| metric | " + " | ".join(models) + " |", "| --- |" + " --- |" * len(models)]
    for metric in metrics:
        arrow = "↑" if HIGHER_IS_BETTER[metric] else "↓"
        lines.append(f"| {metric} {arrow} | " + " | ".join(_fmt(report["models"][m]["metrics"].get(metric)) for m in models) + " |")
    if report.get("judge"):
        lines += ["", f"## LLM-as-judge ({report['judge']['model']}) — model-graded, not deterministic", ""]
        lines += [f"- {m}: faithfulness {_fmt(v['faithfulness'])}, correctness {_fmt(v['correctness'])}" for m, v in report["judge"]["scores"].items()]
    regressions = [d for d in report["diff"] if d["regression"]]
    lines += ["", "## Change since the previous report", ""]
    if not report["diff"]:
        lines.append("No previous report to compare with.")
    else:
        lines.append(f"{len(regressions)} regression(s)." if regressions else "No regressions.")
        lines += [f"- **REGRESSION** {d['model']} {d['metric']}: {_fmt(d['before'])} → {_fmt(d['after'])}" for d in regressions]
    return "\n".join(lines) + "\n"


def _bar_chart(title: str, values: dict[str, float | None], higher_is_better: bool) -> str:
    """An inline SVG bar chart (no script, no CDN)."""
    present = {k: v for k, v in values.items() if v is not None}
    top = max([abs(v) for v in present.values()] + [1e-9])
    scale_max = 1.0 if top <= 1.0 and not title.startswith(("latency", "cost", "errors")) else top
    row, width = 26, 360
    height = row * len(values) + 34
    parts = [f'<svg role="img" aria-label="{html.escape(title)}" width="{width + 190}" height="{height}" xmlns="http://www.w3.org/2000/svg">']
    parts.append(f'<text x="0" y="16" font-size="14" font-weight="bold">{html.escape(title)} {"(higher is better)" if higher_is_better else "(lower is better)"}</text>')
    for i, (name, value) in enumerate(values.items()):
        y = 28 + i * row
        parts.append(f'<text x="0" y="{y + 15}" font-size="12">{html.escape(name)}</text>')
        if value is None:
            parts.append(f'<text x="130" y="{y + 15}" font-size="12" fill="#888">n/a</text>')
            continue
        bar = max(1, int(width * abs(value) / scale_max))
        parts.append(f'<rect x="130" y="{y + 3}" width="{bar}" height="16" fill="#3b6ea8"/>')
        parts.append(f'<text x="{136 + bar}" y="{y + 15}" font-size="12">{_fmt(value)}</text>')
    parts.append("</svg>")
    return "".join(parts)


def to_html(report: dict) -> str:
    models = list(report["models"])
    charts = []
    for metric, higher in HIGHER_IS_BETTER.items():
        values = {m: report["models"][m]["metrics"].get(metric) for m in models}
        if any(v is not None for v in values.values()):
            charts.append(f'<figure>{_bar_chart(metric, values, higher)}</figure>')
    retrieval = "".join(f"<tr><td>{html.escape(k)}</td><td>{_fmt(v)}</td></tr>" for k, v in report["retrieval"].items())
    regressions = [d for d in report["diff"] if d["regression"]]
    diff_html = (
        "<p>No previous report to compare with.</p>" if not report["diff"]
        else "<p>No regressions.</p>" if not regressions
        else "<ul>" + "".join(f'<li class="bad">REGRESSION {html.escape(d["model"])} {html.escape(d["metric"])}: {_fmt(d["before"])} → {_fmt(d["after"])}</li>' for d in regressions) + "</ul>"
    )
    return f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Model report card</title>
<style>body{{font:15px/1.5 system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;color:#1d1d1f}}
figure{{margin:1rem 0}} table{{border-collapse:collapse}} td{{border:1px solid #ddd;padding:.2rem .6rem}} .bad{{color:#b00020;font-weight:bold}}</style>
</head><body>
<h1>Model report card</h1>
<p>{html.escape(report["created"])} · {report["cases"]} golden cases · models: {html.escape(", ".join(models))}</p>
<h2>Retrieval (shared by every model)</h2><table>{retrieval}</table>
<h2>Answers, side by side</h2>
{"".join(charts)}
<h2>Change since the previous report</h2>{diff_html}
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
