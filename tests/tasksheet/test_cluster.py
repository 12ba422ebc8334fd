"""A batch on a real Dask cluster (distributed.LocalCluster, 2 worker processes)."""

from __future__ import annotations

import os
import shutil
import signal
import threading
import time

import pytest
from conftest import SAMPLES
from tasksheet.registry.db import Registry
from tasksheet.schemas.errors import TasksheetError

from tasksheet.batch import run_batch

distributed = pytest.importorskip("distributed")
PG = os.environ.get("TASKSHEET_TEST_PG_URL")
needs_pg = pytest.mark.skipif(not PG, reason="TASKSHEET_TEST_PG_URL not set (scripts/pg.sh)")


@pytest.fixture(scope="module")
def cluster():
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                  dashboard_address=None) as c:
        yield c


def _pg_database(name: str) -> str:
    """A fresh database on the test server, so each test starts empty."""
    import sqlalchemy as sa

    admin = sa.create_engine(PG.replace("postgresql://", "postgresql+psycopg://", 1),
                             isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    return PG.rsplit("/", 1)[0] + f"/{name}"


def test_sqlite_registry_is_refused_before_any_work(tmp_path):
    with pytest.raises(TasksheetError, match="registry every machine can reach"):
        run_batch(SAMPLES, out=tmp_path, registry=f"sqlite:///{tmp_path}/r.sqlite",
                  cluster="tcp://127.0.0.1:1", progress=False)
    assert not (tmp_path / "r.sqlite").exists()


@needs_pg
@pytest.mark.slow
def test_cluster_run_gives_the_same_records_as_a_local_run(cluster, tmp_path):
    scans = tmp_path / "scans"
    scans.mkdir()
    for name in ("doc-0004.pdf", "doc-0005.pdf"):
        shutil.copy(SAMPLES / name, scans / name)
    local = f"sqlite:///{tmp_path}/local.sqlite"
    run_batch(scans, out=tmp_path / "local", registry=local, workers=1, progress=False)
    remote = _pg_database("tasksheet_cluster_same")
    summary = run_batch(scans, out=tmp_path / "cluster", registry=remote,
                        cluster=cluster.scheduler_address, progress=False)
    assert summary.processed == 2
    want = {r.document.id: r.export() for r in Registry(local).records()}
    got = {r.document.id: r.export() for r in Registry(remote).records()}
    assert got == want


def slow_fake(source, out, dpi):
    """Stands in for the pipeline: slow enough to kill a worker in the middle."""
    from tasksheet.schemas.result import SheetResult

    time.sleep(1.5)
    return SheetResult(id=source.id, sources=list(source.sources), sha256=source.sha256,
                       template="task_sheet_2018")


@needs_pg
def test_a_worker_killed_mid_batch_loses_nothing_and_stores_nothing_twice(cluster, tmp_path):
    scans = tmp_path / "scans"
    scans.mkdir()
    for i in range(8):
        (scans / f"doc{i:02d}.txt").write_text(f"document {i}")
    client = distributed.Client(cluster)
    pids = list(client.run(os.getpid).values())

    def kill_one_soon():
        time.sleep(2.0)
        os.kill(pids[0], signal.SIGKILL)

    threading.Thread(target=kill_one_soon, daemon=True).start()
    registry = _pg_database("tasksheet_cluster_kill")
    summary = run_batch(scans, out=tmp_path / "out", registry=registry,
                        cluster=cluster.scheduler_address, progress=False, process=slow_fake)
    client.close()
    reg = Registry(registry)
    ids = [r.id for r in reg.results()]
    assert summary.processed == 8
    assert len(ids) == len(set(ids)) == 8
    assert all(r.status == "complete" for r in reg.results())
