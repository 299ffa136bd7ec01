"""A bug behind a page: the portal's own error page in the user's language, with the helpdesk, not
the server's bare English "Internal Server Error" (the API keeps its JSON shape)."""

from __future__ import annotations

from pathlib import Path

from portal import create_app


def test_a_bug_behind_a_page_shows_the_portals_error_page(tmp_path: Path) -> None:
    app = create_app({"DATABASE_URL": f"sqlite:///{tmp_path / 'portal.db'}", "WORKER": "none"},
                     instance_path=str(tmp_path / "instance"))

    def broken() -> str:
        raise RuntimeError("a bug")

    app.add_url_rule("/broken", "broken", broken)
    response = app.test_client().get("/broken", headers={"Accept-Language": "nl"})
    page = response.get_data(as_text=True)
    assert response.status_code == 500 and "Internal Server Error" not in page
    assert "Er ging iets mis" in page and "INTERNAL-ERROR" in page
    assert app.config["CONTACT_EMAIL"] in page  # where to turn
