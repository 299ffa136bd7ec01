"""DUO's correction request stays in view until answered: on the board's home page and year page,
and in DUO's overview; a later submission of that year answers it everywhere at once."""

from __future__ import annotations

from collections.abc import Callable

from flask import Flask
from flask.testing import FlaskClient

from ..samples import VALID
from .conftest import csrf_token, file_and_submit, log_in

ASKED = "DUO vraagt om een correctie van 2025"
MESSAGE = "De WNT-bijlage ontbreekt."


def test_a_request_shows_until_a_later_submission_answers_it(app: Flask, client: FlaskClient, demo: None,
                                                             switch: Callable[[str], None]) -> None:
    log_in(client, "bestuur@demo.example")
    file_and_submit(app, client, VALID)
    assert ASKED not in client.get("/").get_data(as_text=True)

    switch("duo@demo.example")
    asked = client.post("/duo/2025/41234/correction", data={"csrf_token": csrf_token(client, "/duo/2025"),
                                                             "message": MESSAGE})
    assert asked.status_code == 302
    overview = client.get("/duo/2025").get_data(as_text=True)
    assert overview.count("Correctie gevraagd op") == 1

    switch("bestuur2@demo.example")  # another board's people see nothing of it
    assert ASKED not in client.get("/").get_data(as_text=True)

    switch("bestuur@demo.example")
    assert ASKED in client.get("/").get_data(as_text=True)
    year = client.get("/boards/41234/2025").get_data(as_text=True)
    assert ASKED in year and MESSAGE in year

    file_and_submit(app, client, VALID + b"<!-- gecorrigeerd -->")  # the answer: a new submission
    assert ASKED not in client.get("/").get_data(as_text=True)
    assert ASKED not in client.get("/boards/41234/2025").get_data(as_text=True)
    switch("duo@demo.example")
    assert "Correctie gevraagd op" not in client.get("/duo/2025").get_data(as_text=True)
