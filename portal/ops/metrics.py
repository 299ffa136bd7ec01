"""Prometheus metrics at /metrics, for whoever holds PORTAL_METRICS_TOKEN.

The web server and the workers are separate processes, often on separate hosts, so what
describes the jobs is read from the database at the moment of the scrape, whichever process
did the work and however many there are:

- portal_validation_queue_length: filings waiting for validation (queued);
- portal_filings{status}: filings per status (queued, validating, valid, ..., error);
- portal_validation_seconds: a histogram of each validated filing's validation time, from its
  claim to its verdict (the last attempt's), and portal_validation_turnaround_seconds, from
  upload to verdict (what the filer waits, queue included);
- portal_deliveries_pending{recipient}: deliveries not yet made;
- portal_database_up: 1 when the scrape could read the database (the rest is then missing).

Only portal_http_request_duration_seconds{endpoint} (requests answered by this web process) is
counted in the process itself: with several web processes, Prometheus sums them by instance.
"""

from __future__ import annotations

import hmac
import logging
import time
from collections.abc import Iterator
from typing import Any

from flask import Flask, abort, current_app, g, request
from flask.wrappers import Response
from prometheus_client import CollectorRegistry, Histogram
from prometheus_client.exposition import choose_encoder
from prometheus_client.core import GaugeMetricFamily, HistogramMetricFamily, Metric
from prometheus_client.registry import Collector
from sqlalchemy import ColumnElement, Float, case, cast, func, select

from ..db import get_db
from ..filings.models import ERROR, FINAL, QUEUED, VALIDATING, Filing
from ..submissions.models import PENDING, RECIPIENTS, Delivery

log = logging.getLogger(__name__)
STATUSES = (QUEUED, VALIDATING, *FINAL, ERROR)
# Seconds: a 300-fact filing takes about 0.1-0.5 s, the largest accepted about a minute of CPU.
VALIDATION_BUCKETS = (0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0, 60.0, 120.0, 300.0)
TURNAROUND_BUCKETS = (0.5, 1.0, 2.5, 5.0, 10.0, 30.0, 60.0, 120.0, 300.0, 900.0, 3600.0)
REQUEST_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0)


def _seconds(dialect: str, start: Any, end: Any) -> ColumnElement[float]:
    """end - start in seconds, in the database's own arithmetic (SQLite keeps text timestamps)."""
    if dialect == "sqlite":
        return (func.julianday(end) - func.julianday(start)) * 86400.0
    return cast(func.extract("epoch", end - start), Float)  # not numeric: cheaper to compare and sum


def _histogram(name: str, documentation: str, row: Any, buckets: tuple[float, ...]) -> HistogramMetricFamily:
    *cumulative, count, total = row
    pairs = [(str(bound), int(n or 0)) for bound, n in zip(buckets, cumulative)] + [("+Inf", int(count or 0))]
    return HistogramMetricFamily(name, documentation, buckets=pairs, sum_value=float(total or 0))


class DatabaseCollector(Collector):
    """The job metrics, read from the database at each scrape (a few aggregate queries)."""

    def __init__(self, app: Flask) -> None:
        self.app = app

    def collect(self) -> Iterator[Metric]:
        """Every database metric, or portal_database_up 0 when the database cannot be read."""
        up = GaugeMetricFamily("portal_database_up", "1 when this scrape could read the database")
        try:
            with self.app.app_context():
                metrics = list(self._read())
        except Exception as exc:  # noqa: BLE001 - a scrape must answer, and say the database is away
            log.warning("metrics: the database cannot be read: %s", exc)
            up.add_metric([], 0)
            yield up
            return
        up.add_metric([], 1)
        yield up
        yield from metrics

    def _read(self) -> Iterator[Metric]:
        db = get_db()
        counts = dict(db.execute(select(Filing.status, func.count()).group_by(Filing.status)).all())
        queue = GaugeMetricFamily("portal_validation_queue_length", "filings waiting for validation")
        queue.add_metric([], counts.get(QUEUED, 0))
        yield queue
        per_status = GaugeMetricFamily("portal_filings", "filings per status", labels=["status"])
        for status in sorted(set(STATUSES) | set(counts)):
            per_status.add_metric([status], counts.get(status, 0))
        yield per_status

        # Both histograms in one pass over the validated filings, each duration computed once a row
        # (materialized: otherwise the database computes it again for every bucket).
        dialect = db.get_bind().dialect.name
        durations = (select(_seconds(dialect, Filing.claimed_at, Filing.validated_at).label("validation"),
                            _seconds(dialect, Filing.uploaded_at, Filing.validated_at).label("turnaround"))
                     .where(Filing.validated_at.is_not(None), Filing.claimed_at.is_not(None))
                     .cte("durations").prefix_with("MATERIALIZED"))
        columns = []
        for seconds, buckets in ((durations.c.validation, VALIDATION_BUCKETS),
                                 (durations.c.turnaround, TURNAROUND_BUCKETS)):
            columns += [func.sum(case((seconds <= bound, 1), else_=0)) for bound in buckets]
            columns += [func.count(), func.sum(seconds)]
        row = list(db.execute(select(*columns)).one())
        cut = len(VALIDATION_BUCKETS) + 2
        yield _histogram("portal_validation_seconds", "validation time, from the claim to the verdict", row[:cut],
                         VALIDATION_BUCKETS)
        yield _histogram("portal_validation_turnaround_seconds", "time from upload to verdict", row[cut:],
                         TURNAROUND_BUCKETS)

        pending = dict(db.execute(select(Delivery.recipient, func.count()).where(Delivery.state == PENDING)
                                  .group_by(Delivery.recipient)).all())
        deliveries = GaugeMetricFamily("portal_deliveries_pending", "deliveries not yet made, per recipient",
                                       labels=["recipient"])
        for recipient in sorted(set(RECIPIENTS) | set(pending)):
            deliveries.add_metric([recipient], pending.get(recipient, 0))
        yield deliveries


class Metrics:
    """The app's registry: the database collector and this process's request histogram."""

    def __init__(self, app: Flask) -> None:
        self.registry = CollectorRegistry(auto_describe=False)
        self.registry.register(DatabaseCollector(app))
        self.requests = Histogram("portal_http_request_duration_seconds",
                                  "requests answered by this web process, by endpoint", ["endpoint"],
                                  buckets=REQUEST_BUCKETS, registry=self.registry)

    def observe(self, response: Response) -> Response:
        """Count a request's time under its endpoint (404s under "unknown", so labels stay few)."""
        started = g.get("ops_started")
        if started is not None:
            self.requests.labels(request.endpoint or "unknown").observe(time.perf_counter() - started)
        return response


def authorised() -> None:
    """404 unless METRICS_TOKEN is set (no metrics at all); 401 unless the request carries it."""
    token = current_app.config["METRICS_TOKEN"]
    if not token:
        abort(404)
    header = request.headers.get("Authorization", "")
    sent = header[7:].strip() if header.startswith("Bearer ") else ""
    if not hmac.compare_digest(sent.encode(), token.encode()):
        abort(401)


def exposition(metrics: Metrics) -> Response:
    """The registry in the format the scraper asks for (Prometheus' text format, or OpenMetrics)."""
    encode, content_type = choose_encoder(request.headers.get("Accept", ""))
    return Response(encode(metrics.registry), content_type=content_type)
