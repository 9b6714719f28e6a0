"""The load test's machinery at small scale: objects dropped at once into the deployed stack
(template.yaml in moto, S3 -> SQS notification, worker, real handler as its role) all come
out accounted for."""

from __future__ import annotations

import pytest

from load_test import build_objects, free_port, run_load
from local_stack import local_environment


@pytest.mark.filterwarnings("ignore:No application metrics to publish")
def test_every_dropped_object_is_accounted_for_bad_ones_with_a_reason(monkeypatch: pytest.MonkeyPatch) -> None:
    port = free_port()
    # What load_test.prepare_process sets, undone after the test.
    for name, value in local_environment("ERROR", f"http://127.0.0.1:{port}").items():
        monkeypatch.setenv(name, value)
    objects = build_objects(30)
    assert len(objects) == 30 and any(o.kind.startswith("bad:") for o in objects)
    report = run_load(objects, port=port, timeout=30)
    assert report.missing == []
    assert report.accounted == report.records == 30
    assert report.bad_object_outcomes["bad:empty"] == "rejected/empty"
    assert report.bad_object_outcomes["bad:random-bytes"] == "rejected/binary"
    assert report.bad_object_outcomes["bad:truncated-gzip"] == "rejected/corrupt-compression"
    assert report.bad_object_outcomes["bad:long-line"] == "rejected/line-too-long"
    assert sum(report.outcomes.values()) == 30
