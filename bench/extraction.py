"""SOW extraction: pages/s of the local pipeline against pypdf's ``extract_text`` alone,
and the p95 latency of ``POST /v1/sow/extractions`` for a 10-page SOW.

Both sides read the same PDFs in the same run, interleaved file by file so load
from other processes hits them alike; wall time and CPU time are both reported,
and the ratio (pipeline / pypdf) is what carries over to other machines:

- ``pypdf``: ``PdfReader`` + ``extract_text()`` of every page (the raw baseline);
- ``ingest+billing``: our ingestion (positioned lines, normalisation, tables) and
  the billing extractor;
- ``full local``: ingest, billing, clause detection (segmentation + classifier) and
  the playbook, with a small clause model trained here.

PDFs come from ``<shared-data>/cuad/pdf`` when present (``--shared-data``, default
``../shared/data`` relative to the repository), otherwise they are generated.

Run ``python -m bench extraction [--files=20] [--requests=20] [--shared-data=PATH]``.
"""

from __future__ import annotations

import argparse
import io
import statistics
import tempfile
import time
from pathlib import Path
from typing import Any

REPO_ROOT = Path(__file__).resolve().parent.parent


def _pdfs(shared_data: Path | None, count: int, workdir: Path) -> tuple[list[tuple[str, bytes]], str]:
    folder = shared_data / "cuad" / "pdf" if shared_data else None
    if folder is not None and folder.is_dir():
        files = sorted(folder.glob("*.pdf"))[:: max(1, len(sorted(folder.glob("*.pdf"))) // count)][:count]
        return [(f.name, f.read_bytes()) for f in files], f"CUAD PDFs from {folder}"
    from training.sow_generator import generate_sow, render_pdf

    out = []
    for index in range(count):
        path = render_pdf(generate_sow(index, split="test"), workdir / f"sow-{index}.pdf")
        out.append((path.name, path.read_bytes()))
    return out, "generated SOW PDFs (no shared data)"


def _clause_model() -> Any:
    from extraction.clauses import ClauseClassifier
    from training.clauses import generated_examples
    from training.sow_generator import generate_sows

    texts, labels = generated_examples(generate_sows(40, seed=7, split="train"))
    return ClauseClassifier(char_ngram_range=None).fit(texts, labels)


def _timed(fn: Any) -> tuple[float, float, Any]:
    wall, cpu = time.perf_counter(), time.process_time()
    value = fn()
    return time.perf_counter() - wall, time.process_time() - cpu, value


def _pypdf_pages(data: bytes) -> int:
    import pypdf

    reader = pypdf.PdfReader(io.BytesIO(data))
    for page in reader.pages:
        page.extract_text()
    return len(reader.pages)


def _throughput(files: list[tuple[str, bytes]], model: Any) -> dict[str, tuple[float, float, int]]:
    from extraction import analyse_document, ingest

    totals = {"pypdf": [0.0, 0.0, 0], "ingest+billing": [0.0, 0.0, 0], "full local": [0.0, 0.0, 0]}
    for name, data in files:
        wall, cpu, pages = _timed(lambda data=data: _pypdf_pages(data))
        totals["pypdf"][0] += wall
        totals["pypdf"][1] += cpu
        totals["pypdf"][2] += pages

        def ours(data: bytes = data, name: str = name, with_clauses: bool = False) -> int:
            document = ingest(data, filename=name)
            analyse_document(document, clause_model=model if with_clauses else None)
            return len(document.pages)

        for label, with_clauses in (("ingest+billing", False), ("full local", True)):
            wall, cpu, pages = _timed(lambda ours=ours, w=with_clauses: ours(with_clauses=w))
            totals[label][0] += wall
            totals[label][1] += cpu
            totals[label][2] += pages
    return {k: (v[0], v[1], int(v[2])) for k, v in totals.items()}


def _ten_page_sow() -> bytes:
    from reportlab.lib.pagesizes import letter
    from reportlab.lib.styles import getSampleStyleSheet
    from reportlab.platypus import PageBreak, Paragraph, SimpleDocTemplate, Table

    from training.sow_generator import generate_sow, render_text

    styles = getSampleStyleSheet()
    story: list[Any] = []
    for index in range(10):
        text = render_text(generate_sow(index, split="test"))
        for paragraph in text.split("\n\n")[:14]:
            story.append(Paragraph(paragraph.replace("&", "&amp;").replace("<", "&lt;"), styles["Normal"]))
        if index == 3:
            story.append(Table([["Role", "Rate", "Unit"], ["Senior Consultant", "$225", "Hourly"]]))
        story.append(PageBreak())
    buffer = io.BytesIO()
    SimpleDocTemplate(buffer, pagesize=letter).build(story)
    return buffer.getvalue()


def _api_latency(requests: int, model: Any, home: Path) -> tuple[list[float], list[float], int]:
    from fastapi.testclient import TestClient

    from service.app import create_app
    from service.auth import create_api_key
    from service.db.migrate import upgrade_database
    from service.model_serving import LoadedModel
    from service.settings import Settings

    settings = Settings(home=home, bootstrap_models=False, log_json=True, log_level="WARNING")
    settings.ensure_home()
    upgrade_database(settings.resolved_database_url)
    app = create_app(settings)
    document = _ten_page_sow()
    latencies: list[float] = []
    baseline: list[float] = []
    with TestClient(app) as client:
        app.state.serving_models.loaded["clauses"] = LoadedModel("clauses", "handoff-clauses", "bench", model)
        with app.state.session_factory() as db:
            key = create_api_key(db, role="engine", name="bench").key
            db.commit()
        headers = {"Authorization": f"Bearer {key}"}
        pages = 0
        for index in range(requests + 1):
            start = time.perf_counter()
            response = client.post(
                "/v1/sow/extractions",
                files={"file": ("sow.pdf", document, "application/pdf")},
                headers=headers,
            )
            elapsed = (time.perf_counter() - start) * 1000
            if response.status_code != 201:
                raise SystemExit(
                    f"POST /v1/sow/extractions answered {response.status_code}: {response.text[:200]}"
                )
            pages = response.json()["result"]["document"]["pages"]
            if index:  # the first request warms caches (spaCy pipeline, regexes)
                latencies.append(elapsed)
            start = time.perf_counter()
            _pypdf_pages(document)
            baseline.append((time.perf_counter() - start) * 1000)
    return latencies, baseline, pages


def _p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench extraction")
    parser.add_argument("--files", type=int, default=20)
    parser.add_argument("--requests", type=int, default=20)
    parser.add_argument("--shared-data", type=Path, default=REPO_ROOT.parent / "shared" / "data")
    args = parser.parse_args(argv)

    with tempfile.TemporaryDirectory() as tmp:
        workdir = Path(tmp)
        files, source = _pdfs(args.shared_data, args.files, workdir)
        model = _clause_model()
        # Warm-up: imports, regex compilation, the spaCy pipeline.
        _throughput(files[:1], model)
        totals = _throughput(files, model)
        print(f"source: {source}; {len(files)} files, {totals['pypdf'][2]} pages")
        base_wall, base_cpu, pages = totals["pypdf"]
        print(f"{'':16s} {'pages/s':>9s} {'wall s':>8s} {'cpu s':>8s} {'ratio wall':>11s} {'ratio cpu':>10s}")
        for label, (wall, cpu, _) in totals.items():
            print(
                f"{label:16s} {pages / wall:9.1f} {wall:8.2f} {cpu:8.2f} "
                f"{wall / base_wall:10.2f}x {cpu / base_cpu:9.2f}x"
            )
        latencies, baseline, api_pages = _api_latency(args.requests, model, workdir / "home")
        p95, base = _p95(latencies), _p95(baseline)
        print(
            f"POST /v1/sow/extractions, {api_pages}-page PDF, {len(latencies)} requests: "
            f"p50 {statistics.median(latencies):.0f} ms, p95 {p95:.0f} ms; "
            f"pypdf extract_text alone p95 {base:.0f} ms (ratio {p95 / base:.2f}x)"
        )


__all__ = ["main"]
