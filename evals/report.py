"""Self-contained HTML eval reports: one file per suite plus an index, every plot
embedded as a base64 PNG, so a report opens in any browser from anywhere (an
e-mail attachment, an MLflow artifact) with nothing beside it.
"""

from __future__ import annotations

import datetime as dt
import html
import math
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from evals.runner import SuiteRun

_STYLE = """
body { font-family: system-ui, -apple-system, "Segoe UI", sans-serif; margin: 2rem auto; max-width: 1100px;
       color: #1b1f24; padding: 0 1rem; }
h1 { font-size: 1.6rem; margin-bottom: 0.2rem; } h2 { font-size: 1.2rem; margin-top: 2rem; }
.meta { color: #57606a; font-size: 0.9rem; }
table { border-collapse: collapse; margin: 0.5rem 0 1rem; font-size: 0.9rem; }
th, td { border: 1px solid #d0d7de; padding: 0.3rem 0.6rem; text-align: left; }
th { background: #f6f8fa; } td.num { text-align: right; font-variant-numeric: tabular-nums; }
.badge { display: inline-block; padding: 0.1rem 0.5rem; border-radius: 0.8rem; font-size: 0.8rem; }
.ok { background: #dafbe1; color: #116329; } .skipped { background: #fff8c5; color: #7d4e00; }
.error { background: #ffebe9; color: #a40e26; }
figure { margin: 1rem 0; } figure img { max-width: 100%; border: 1px solid #d0d7de; }
figcaption { color: #57606a; font-size: 0.9rem; }
"""


def _escape(value: Any) -> str:
    return html.escape(str(value), quote=True)


def format_number(value: Any) -> str:
    """Numbers to 4 significant decimals, integers as they are, anything else as text."""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if math.isnan(value):
            return "NaN"
        if value.is_integer() and abs(value) >= 2:
            return str(int(value))  # counts logged as floats (items, anomalies)
        return f"{value:.4f}" if abs(value) < 1e5 else f"{value:.4g}"
    return str(value)


def _table(rows: Sequence[dict[str, Any]]) -> str:
    if not rows:
        return "<p class='meta'>(no rows)</p>"
    columns: list[str] = []
    for row in rows:
        for key in row:
            if key not in columns:
                columns.append(key)
    head = "".join(f"<th>{_escape(column)}</th>" for column in columns)
    body = []
    for row in rows:
        cells = []
        for column in columns:
            value = row.get(column, "")
            css = " class='num'" if isinstance(value, int | float) and not isinstance(value, bool) else ""
            cells.append(f"<td{css}>{_escape(format_number(value))}</td>")
        body.append("<tr>" + "".join(cells) + "</tr>")
    return f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table>"


def _status_badge(run: SuiteRun) -> str:
    if run.error:
        return "<span class='badge error'>error</span>"
    if run.result is not None and run.result.skipped:
        return "<span class='badge skipped'>skipped</span>"
    return "<span class='badge ok'>ok</span>"


def _page(title: str, body: str) -> str:
    return (
        "<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'>"
        f"<meta name='viewport' content='width=device-width, initial-scale=1'><title>{_escape(title)}</title>"
        f"<style>{_STYLE}</style></head><body>{body}</body></html>"
    )


def render_suite_report(run: SuiteRun) -> str:
    """The HTML page for one suite run (metrics, headline metrics, tables, figures, notes).

    Parameters
    ----------
    run : evals.runner.SuiteRun

    Returns
    -------
    str
        A complete, self-contained HTML document.
    """
    model = run.model_short_name or "(no registered model)"
    version = f" v{run.model_version}" if run.model_version else ""
    generated = dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC")
    parts = [
        f"<h1>Eval: {_escape(run.suite)} {_status_badge(run)}</h1>",
        f"<p class='meta'>Model {_escape(model)}{_escape(version)} · generated {generated} · "
        f"{run.seconds:.1f} s · seed {run.context_seed}</p>",
    ]
    if run.error:
        parts.append(f"<h2>Error</h2><p>{_escape(run.error)}</p>")
    result = run.result
    if result is not None and result.skipped:
        parts.append(f"<h2>Skipped</h2><p>{_escape(result.skipped)}</p>")
    if result is not None and not result.skipped:
        headline_rows = [
            {
                "metric": name,
                "value": result.metrics.get(name, float("nan")),
                "better": headline.direction,
                "gate tolerance": headline.tolerance,
            }
            for name, headline in result.headline.items()
        ]
        parts.append("<h2>Headline metrics</h2>" + _table(headline_rows))
        other = [{"metric": name, "value": value} for name, value in sorted(result.metrics.items())]
        parts.append("<h2>All metrics</h2>" + _table(other))
        for name, rows in result.tables.items():
            parts.append(f"<h2>{_escape(name)}</h2>" + _table(rows))
        for title, png in run.figures_png:
            parts.append(
                f"<figure><img alt='{_escape(title)}' src='data:image/png;base64,{png}'>"
                f"<figcaption>{_escape(title)}</figcaption></figure>"
            )
    if result is not None and result.notes:
        notes = "".join(f"<li>{_escape(note)}</li>" for note in result.notes)
        parts.append(f"<h2>Notes</h2><ul>{notes}</ul>")
    return _page(f"Eval {run.suite}", "".join(parts))


def render_index(runs: Sequence[SuiteRun]) -> str:
    """An index page linking each suite's report, with its headline metrics."""
    rows = []
    for run in runs:
        headline = ""
        if run.result is not None and not run.result.skipped:
            headline = ", ".join(
                f"{name} {format_number(run.result.metrics.get(name, float('nan')))}"
                for name in run.result.headline
            )
        status = "error" if run.error else ("skipped" if run.result and run.result.skipped else "ok")
        rows.append(
            "<tr>"
            f"<td><a href='{_escape(report_filename(run.suite))}'>{_escape(run.suite)}</a></td>"
            f"<td>{_escape(run.model_short_name or '-')}</td><td>{_escape(run.model_version or '-')}</td>"
            f"<td>{status}</td><td>{_escape(headline or _why(run))}</td>"
            f"<td class='num'>{run.seconds:.1f}</td></tr>"
        )
    table = (
        "<table><thead><tr><th>suite</th><th>model</th><th>version</th><th>status</th>"
        f"<th>headline</th><th>seconds</th></tr></thead><tbody>{''.join(rows)}</tbody></table>"
    )
    generated = dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC")
    return _page("Handoff evals", f"<h1>Handoff evals</h1><p class='meta'>generated {generated}</p>{table}")


def _why(run: SuiteRun) -> str:
    if run.error:
        return run.error
    return (run.result.skipped or "") if run.result is not None else ""


def report_filename(suite: str) -> str:
    safe = "".join(character if character.isalnum() or character in "-_" else "_" for character in suite)
    return f"{safe}.html"


def write_reports(runs: Sequence[SuiteRun], directory: Path) -> list[Path]:
    """Write each run's report and ``index.html`` into ``directory`` (created); return the suite pages."""
    directory.mkdir(parents=True, exist_ok=True)
    paths = []
    for run in runs:
        path = directory / report_filename(run.suite)
        path.write_text(run.report_html or render_suite_report(run), encoding="utf-8")
        paths.append(path)
    (directory / "index.html").write_text(render_index(runs), encoding="utf-8")
    return paths
