"""Leases: a job's claim on a row (a filing, a delivery) or on a named lock runs out unless
the job renews it. A job that dies stops renewing, so what it held is free again within one
lease, on any number of hosts, without anyone having to notice the death."""

from __future__ import annotations

import logging
import threading
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta
from types import TracebackType
from typing import Any

from sqlalchemy import insert, or_, update
from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from ..db import utcnow
from .models import JobLock

log = logging.getLogger(__name__)


def new_token() -> str:
    """A claim's name: whoever holds it may renew the lease and store the result."""
    return uuid.uuid4().hex


class Heartbeat:
    """Renews a claimed row's lease (lease_until, where claim_id is still `token`) every third
    of the lease, on a thread with its own connection, while the job works:

        with Heartbeat(engine, Filing, filing_id, token, lease):
            ...  # the long part

    If the claim was taken over meanwhile (the lease ran out, another job claimed the row),
    renewing stops and `lost` is set; the job's final conditional update then finds nothing."""

    def __init__(self, engine: Engine, model: Any, row_id: int, token: str, lease: timedelta) -> None:
        self.engine, self.model, self.row_id, self.token, self.lease = engine, model, row_id, token, lease
        self.lost = False
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name=f"lease-{model.__tablename__}-{row_id}", daemon=True)

    def __enter__(self) -> Heartbeat:
        self._thread.start()
        return self

    def __exit__(self, _type: type[BaseException] | None, _exc: BaseException | None,
                 _tb: TracebackType | None) -> None:
        self._stop.set()
        self._thread.join()

    def _run(self) -> None:
        model = self.model
        while not self._stop.wait(self.lease.total_seconds() / 3):
            try:
                with self.engine.begin() as connection:
                    renewed = connection.execute(update(model).where(model.id == self.row_id,
                                                                     model.claim_id == self.token)
                                                 .values(lease_until=utcnow() + self.lease)).rowcount
            except Exception as exc:  # noqa: BLE001 - the database is briefly away: try at the next beat
                log.warning("could not renew the lease on %s %s: %s", model.__tablename__, self.row_id, exc)
                continue
            if renewed != 1:
                log.warning("%s %s: the claim was taken over; its result will not be stored", model.__tablename__,
                            self.row_id)
                self.lost = True
                return


@contextmanager
def job_lock(db: Session, name: str, lease: timedelta) -> Iterator[bool]:
    """Hold the named lock for the block if nobody else holds it (yields True), else yield
    False at once. Commits: the lock must be seen by other processes while the block runs.
    A holder that dies leaves the lock to run out after `lease`."""
    token = new_token()
    held = _take(db, name, token, lease)
    try:
        yield held
    finally:
        if held:
            db.rollback()  # whatever the block left uncommitted is not the lock's to keep
            db.execute(update(JobLock).where(JobLock.name == name, JobLock.holder == token)
                       .values(holder=None, lease_until=None))
            db.commit()


def _take(db: Session, name: str, token: str, lease: timedelta) -> bool:
    now = utcnow()
    free = or_(JobLock.lease_until.is_(None), JobLock.lease_until < now)
    for _attempt in range(2):
        taken = db.execute(update(JobLock).where(JobLock.name == name, free)
                           .values(holder=token, lease_until=now + lease)).rowcount
        if taken == 1:
            db.commit()
            return True
        if db.get(JobLock, name) is not None:  # held by someone else
            db.rollback()
            return False
        try:  # the first use of this lock: make its row (whoever inserts first holds it)
            with db.begin_nested():
                db.execute(insert(JobLock).values(name=name, holder=token, lease_until=now + lease))
            db.commit()
            return True
        except IntegrityError:
            db.rollback()
    return False
