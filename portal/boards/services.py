"""The school board registry: import from CSV, list what a user may see."""

from __future__ import annotations

import csv
import io
import re

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..users.models import Role, User
from ..errors import ServiceError
from .models import SECTORS, Board

HEADER = ["number", "name", "kvk", "sectors"]


def import_csv(db: Session, text: str) -> tuple[int, int]:
    """Create or update boards from CSV text with the header number,name,kvk,sectors.
    All or nothing: any bad line refuses the whole file, naming every bad line.
    Returns (created, updated)."""
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
    if not rows or [h.strip().lower() for h in rows[0]] != HEADER:
        raise ServiceError("BOARDS-HEADER", "The first line must be: number,name,kvk,sectors")
    problems: list[str] = []
    parsed: dict[str, tuple[str, str, str]] = {}
    for line, row in enumerate(rows[1:], start=2):
        if not any(cell.strip() for cell in row):
            continue
        if len(row) != 4:
            problems.append(f"{line}: 4 columns expected, found {len(row)}")
            continue
        number, name, kvk, sectors = (cell.strip() for cell in row)
        listed = sectors.upper().split()
        if not re.fullmatch(r"\d{5}", number):
            problems.append(f"{line}: number '{number}' is not 5 digits")
        elif number in parsed:
            problems.append(f"{line}: number {number} appears twice")
        if not name:
            problems.append(f"{line}: name is empty")
        if not re.fullmatch(r"\d{8}", kvk):
            problems.append(f"{line}: kvk '{kvk}' is not 8 digits")
        if not listed or any(s not in SECTORS for s in listed):
            problems.append(f"{line}: sectors '{sectors}' must be some of {' '.join(SECTORS)}")
        parsed[number] = (name, kvk, " ".join(listed))
    if problems:
        detail = "; ".join(problems[:20]) + (f" (+{len(problems) - 20})" if len(problems) > 20 else "")
        raise ServiceError("BOARDS-ROWS", "Nothing imported; errors in lines %(detail)s", detail=detail)
    existing = {b.number: b for b in db.scalars(select(Board).where(Board.number.in_(list(parsed))))}
    created = updated = 0
    for number, (name, kvk, sectors) in parsed.items():
        board = existing.get(number)
        if board is None:
            db.add(Board(number=number, name=name, kvk=kvk, sectors=sectors))
            created += 1
        elif (board.name, board.kvk, board.sectors) != (name, kvk, sectors):
            board.name, board.kvk, board.sectors = name, kvk, sectors
            updated += 1
    db.flush()
    return created, updated


def is_board_user(user: User) -> bool:
    """Whether the user works for school boards (their home page lists their own boards)."""
    return user.role is Role.BOARD


def visible_boards(db: Session, user: User) -> list[Board]:
    """The boards a user may see: their own for board users, all for recipients and admins.
    (Accountants see their clients' boards once authorisations exist.)"""
    if user.role is Role.BOARD:
        return list(user.boards)
    if user.role in (Role.DUO, Role.OCW, Role.INSPECTORATE, Role.ADMIN):
        return list(db.scalars(select(Board).order_by(Board.number)))
    return []
