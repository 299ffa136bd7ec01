"""The taxonomy's assertion messages show their numbers as people read them: Dutch notation in the
Dutch message, English in the English one; dates and years stay as they are."""

from __future__ import annotations

from validators import Engine
from validators.arelle.messages import split_assertion_message

from ..samples import BROKEN


def test_amounts_in_each_language_s_notation() -> None:
    said = split_assertion_message("[nl] Activa (1522407) per 2025-12-31: verschil -5000 euro, 0.8 fte. "
                                   "[en] Assets (1522407) at 2025-12-31: difference -5000 euro, 0.8 fte.",
                                   ["1522407"])
    assert said == {"nl": "Activa (1.522.407) per 2025-12-31: verschil -5.000 euro, 0,8 fte.",
                    "en": "Assets (1,522,407) at 2025-12-31: difference -5,000 euro, 0.8 fte."}


def test_a_year_stays_a_year_unless_it_is_a_reported_amount() -> None:
    text = "[nl] Niet vóór 1 januari 2026; bedrag 2026. [en] Not before 1 January 2026; amount 2026."
    assert split_assertion_message(text) == {"nl": "Niet vóór 1 januari 2026; bedrag 2026.",
                                             "en": "Not before 1 January 2026; amount 2026."}
    assert split_assertion_message(text, ["2026"])["nl"] == "Niet vóór 1 januari 2.026; bedrag 2.026."


def test_names_codes_and_periods_are_not_numbers() -> None:
    text = "[nl] Topfunctionaris TF1234 (2025-01-01/2025-12-31) v2.5 [en] Official TF1234 (2025-01-01/2025-12-31)"
    assert split_assertion_message(text)["nl"] == "Topfunctionaris TF1234 (2025-01-01/2025-12-31) v2.5"


def test_the_report_of_a_real_filing_says_dutch_amounts(engine: Engine) -> None:
    report = engine.validate(BROKEN, "EDU-BAL-01.xbrl", "41234", 2025)
    message = next(f.message for f in report.findings if f.code == "EDU-BAL-01")
    assert "(1.522.407)" in message["nl"] and "-5.000 euro" in message["nl"]
    assert "(1,522,407)" in message["en"] and "-5,000 euro" in message["en"]
