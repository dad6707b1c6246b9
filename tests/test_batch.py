"""``ddcheck report FILE... --out-dir DIR``: many reports behind one executor, failures reported, the rest rendered."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from conftest import DDCHECK, ROOT
from pdf_support import Pdf

sys.path.insert(0, str(ROOT / "benchmarks"))
from synthetic import BROKEN_FILES, synthetic_portfolio  # noqa: E402

from ddcheck.checklists.library import load_library  # noqa: E402


@pytest.fixture(scope="module")
def portfolio(tmp_path_factory):
    folder = tmp_path_factory.mktemp("portfolio")
    files = synthetic_portfolio(folder, load_library(), subjects=3, per_subject=(1, 2),
                                checklist_ids=["xinjiang-supply-chain"], seed=5)
    return folder, sorted(p for paths in files.values() for p in paths)


def run(*args, cwd=None):
    return subprocess.run([*DDCHECK, *map(str, args)], capture_output=True, text=True, cwd=cwd,
                          env={**os.environ, "DDCHECK_CHECKLISTS": ""}, timeout=600)


def test_a_batch_renders_every_good_file_and_reports_the_broken_ones_with_their_place(portfolio, tmp_path):
    folder, files = portfolio
    broken = sorted(folder / name for name in BROKEN_FILES)
    out = tmp_path / "reports"
    result = run("report", *files, *broken, tmp_path / "missing.yaml", "-f", "json", "--out-dir", out, "--jobs", "2")
    assert result.returncode == 1, result.stderr
    assert sorted(p.name for p in out.iterdir()) == sorted(p.stem + ".json" for p in files)
    for path in files:  # each report is the one of its own assessment
        data = json.loads((out / (path.stem + ".json")).read_text(encoding="utf-8"))
        assert data["assessment"]["file_name"] == path.name  # the JSON report format, schema 1.0
    assert "broken-syntax.yaml:3:21:" in result.stderr and "YAML syntax error" in result.stderr
    assert "broken-shape.yaml:6:" in result.stderr
    assert "error: " in result.stderr and "missing.yaml: no such file" in result.stderr
    assert "Traceback" not in result.stderr
    assert f"Wrote {len(files)} of {len(files) + 3} report(s)" in result.stdout and "3 failed" in result.stdout


def test_batch_pdfs_are_real_reports_with_their_assessment_embedded(portfolio, tmp_path):
    _, files = portfolio
    out = tmp_path / "pdf"
    result = run("report", *files[:2], "--out-dir", out, "--jobs", "2")
    assert result.returncode == 0, result.stderr
    assert "on 2 local worker processes" in result.stderr
    for path in files[:2]:
        pdf = Pdf((out / (path.stem + ".pdf")).read_bytes())
        assert len(pdf.reader.pages) > 3 and "Action plan" in pdf.text
        assert pdf.reader.attachments["answers.yaml"][0] == path.read_bytes()


def test_reports_that_would_share_a_name_are_refused_before_rendering(tmp_path, portfolio):
    _, files = portfolio
    twin = tmp_path / "elsewhere"
    twin.mkdir()
    (twin / files[0].name).write_bytes(files[0].read_bytes())
    result = run("report", files[0], twin / files[0].name, "--out-dir", tmp_path / "out")
    assert result.returncode == 2 and "would both be written to" in result.stderr
    assert not (tmp_path / "out").exists()


def test_several_files_need_an_out_dir_and_o_names_one_report(portfolio, tmp_path):
    _, files = portfolio
    result = run("report", files[0], files[1])
    assert result.returncode == 2 and "--out-dir DIR" in result.stderr
    result = run("report", files[0], files[1], "--out-dir", tmp_path, "-o", tmp_path / "x.pdf")
    assert result.returncode == 2 and "-o names one report" in result.stderr
    result = run("report", files[0], "--jobs", "2")
    assert result.returncode == 2 and "apply to batches" in result.stderr


def _worker_state():
    from ddcheck.portfolio import batch

    return os.getpid(), len(batch._LIBRARIES), "weasyprint" in sys.modules, "jinja2" in sys.modules


def test_each_worker_loads_library_templates_and_weasyprint_once_when_it_starts():
    from ddcheck.portfolio.batch import LocalProcesses

    pool = LocalProcesses(1, (), "pdf")
    try:
        first = pool.executor.submit(_worker_state).result(timeout=120)
        second = pool.executor.submit(_worker_state).result(timeout=120)
    finally:
        pool.close()
    assert first == second  # same process, nothing loaded twice
    assert first[1:] == (1, True, True)


def test_the_same_jobs_run_on_a_dask_cluster_on_the_loopback(portfolio, tmp_path, monkeypatch):
    distributed = pytest.importorskip("distributed")
    for name, value in os.environ.items():  # distributed sets variables (PYTHONHASHSEED, ...): undo them after
        monkeypatch.setenv(name, value)
    for name in ("__DASK_PARENT_PID", "MALLOC_TRIM_THRESHOLD_", "OMP_NUM_THREADS", "MKL_NUM_THREADS",
                 "OPENBLAS_NUM_THREADS", "PYTHONHASHSEED"):
        monkeypatch.delenv(name, raising=False)
    _, files = portfolio
    out = tmp_path / "dask"
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, host="127.0.0.1", processes=True,
                                  dashboard_address=None) as cluster:
        assert cluster.scheduler_address.startswith("tcp://127.0.0.1:")
        result = run("report", *files, ROOT / "README.md", "-f", "html", "--out-dir", out,
                     "--scheduler", cluster.scheduler_address)
    assert result.returncode == 1, result.stderr  # README.md is not an assessment
    assert "Dask scheduler tcp://127.0.0.1:" in result.stderr and "(2 workers)" in result.stderr
    assert "README.md:8:87: YAML syntax error" in result.stderr
    assert sorted(p.name for p in out.iterdir()) == sorted(p.stem + ".html" for p in files)
    html = (out / (files[0].stem + ".html")).read_text(encoding="utf-8")
    assert "Action plan" in html and "Supplier" in html
