"""A Redis database (1-14; 15 is the benchmarks') of one test's own: tests that run at the same time (pytest -n, or
several runs on one machine) never share a Celery queue, so no worker takes another test's
messages and no test empties another's queue."""

from __future__ import annotations

import os
import re
import uuid
from collections.abc import Iterator
from contextlib import contextmanager

import pytest

REDIS = os.environ.get("PORTAL_TEST_REDIS_URL", "redis://127.0.0.1:6390/0")
OWNER = "portal-test:owner"


@contextmanager
def redis_database() -> Iterator[str]:
    """The broker URL of a Redis database (1-14) no other test run uses meanwhile: taken with a
    key that runs out after an hour (a run killed outright frees it then), emptied after use."""
    import redis

    token = uuid.uuid4().hex
    try:
        redis.Redis.from_url(REDIS, socket_connect_timeout=1).ping()
    except redis.exceptions.ConnectionError:
        if os.environ.get("CI") == "true":
            pytest.fail(f"Redis is not reachable at {REDIS} (.ci/run starts it)")
        pytest.skip("Redis is not running here")
    for number in range(1, 15):
        url = re.sub(r"/\d*$", "", REDIS) + f"/{number}"
        client = redis.Redis.from_url(url)
        if client.set(OWNER, token, nx=True, ex=3600):
            for key in client.scan_iter():
                if key.decode() != OWNER:
                    client.delete(key)  # what a run killed outright left behind
            try:
                yield url
            finally:
                client.flushdb()
            return
    pytest.fail("every Redis database 1-14 is in use by another test run")
