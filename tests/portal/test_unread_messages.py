"""The header counts the signed-in user's unread messages ("Berichten (1)", heard as "Berichten,
1 ongelezen"); opening the messages page marks what it shows as read."""

from __future__ import annotations

import re
from collections.abc import Callable

from flask import Flask
from flask.testing import FlaskClient

from ..samples import VALID
from .conftest import csrf_token, file_and_submit, log_in


def _messages_link(client: FlaskClient, path: str = "/") -> str:
    """The header's link to the messages page, as HTML."""
    html = client.get(path).get_data(as_text=True)
    match = re.search(r'<a class="navlink" href="/outbox" id="messages-link">(.*?)</a>', html, re.S)
    assert match, html
    return match.group(1)


def test_unread_messages_are_counted_until_the_messages_page_is_opened(
        app: Flask, client: FlaskClient, demo: None, switch: Callable[[str], None]) -> None:
    log_in(client, "bestuur@demo.example")
    assert _messages_link(client) == "Berichten"  # nothing yet: no count
    file_and_submit(app, client, VALID)  # the receipt e-mail
    link = _messages_link(client)
    assert '<span aria-hidden="true">(1)</span>' in link
    assert '<span class="visually-hidden">, 1 ongelezen</span>' in link

    page = client.get("/outbox").get_data(as_text=True)
    assert page.count('class="badge new">Nieuw</span>') == 1  # shown as new this once
    assert _messages_link(client) == "Berichten"  # read now
    assert "badge new" not in client.get("/outbox").get_data(as_text=True)

    switch("duo@demo.example")
    assert _messages_link(client, "/duo/2025") == "Berichten"  # another user's messages are not counted
    for text in ("De WNT-toelichting ontbreekt.", "De bijlage ontbreekt."):
        client.post("/duo/2025/41234/correction", data={"csrf_token": csrf_token(client, "/duo/2025"), "message": text})
    switch("bestuur@demo.example")
    assert '(2)' in _messages_link(client) and ", 2 ongelezen" in _messages_link(client)  # new ones count again
    page = client.get("/outbox").get_data(as_text=True)
    assert page.count('class="badge new">Nieuw</span>') == 2
    assert _messages_link(client) == "Berichten"
