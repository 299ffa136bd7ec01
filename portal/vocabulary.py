"""Texts chosen by a value rather than written where they are shown: a status, a signalling value, a
recipient, a severity. A page or PDF looks them up by key (`named("status_" + status)`); each is an
ordinary gettext message (English msgid, translated in the catalogue), evaluated lazily in the
language of the moment it is shown (portal/i18n.py: named, named_in)."""

from __future__ import annotations



def N_(msgid: str) -> str:  # noqa: N802 - gettext's customary name for "mark for the catalogue, translate later"
    """Marks `msgid` for the catalogue (`make translations` extracts N_), translated where it is shown."""
    return msgid


NAMED: dict[str, str] = {
    "csrf": N_("The form expired or is invalid; please try again."),
    "not_found": N_("Not found."),
    "unavailable": N_("The portal cannot reach its database right now; please try again in a "
                      "minute. What you submitted before is kept."),
    "too_large": N_("The file is too large."),
    "storage_unavailable": N_("The file store cannot be reached right now. Nothing was stored or "
                              "changed; please try again in half a minute."),
    "status_queued": N_("Queued"),
    "status_validating": N_("Being checked"),
    "status_error": N_("Check not completed"),
    "status_valid": N_("Valid"),
    "status_valid-with-warnings": N_("Valid with warnings"),
    "status_invalid": N_("Invalid"),
    "status_rejected": N_("Rejected"),
    "explain_valid": N_("No problems were found."),
    "explain_valid-with-warnings": N_("No errors; please look at the warnings below."),
    "explain_invalid": N_("Fix the errors below, then upload a new version."),
    "explain_rejected": N_("The file could not be read as XBRL; see below why."),
    "explain_error": N_("The check could not be completed; see below why and what you can do."),
    "status_expired": N_("Your session has ended: progress is no longer updated."),
    "severity_error": N_("Errors"),
    "severity_inconsistency": N_("Calculation inconsistencies"),
    "severity_warning": N_("Warnings"),
    "severity_info": N_("Notes"),
    "signal_solvency2": N_("Solvency 2"),
    "signal_current_ratio": N_("Current ratio"),
    "signal_cash": N_("Cash"),
    "signal_excess_public_equity": N_("Possibly excess public equity"),
    "signal_housing_ratio": N_("Housing ratio"),
    "signal_resilience": N_("Resilience"),
    "reason_missing_input": N_("missing input: %(detail)s"),
    "reason_zero_denominator": N_("zero denominator: %(detail)s"),
    "reason_no_threshold": N_("no threshold: %(detail)s"),
    "reason_missing_year": N_("missing year: %(detail)s"),
    "state_not-filed": N_("Not yet filed"),
    "state_late": N_("Late"),
    "state_valid": N_("Filed, valid"),
    "state_valid-with-warnings": N_("Filed, with warnings"),
    "state_correction": N_("Correction asked"),
    "recipient_duo": N_("DUO"),
    "recipient_ocw": N_("OCW"),
    "recipient_inspectorate": N_("Education inspectorate"),
    "delivery_pending": N_("being delivered"),
    "delivery_delivered": N_("delivered at %(at)s"),
    "delivery_acknowledged": N_("delivered at %(at)s, acknowledged at %(ack)s"),
    "delivery_superseded": N_("superseded by a correction"),
    "delivery_retry": N_("being delivered; attempts failed: %(n)s, the next at %(at)s"),
    "opinion_goedkeurend": N_("Unqualified"),
    "opinion_met-beperking": N_("Qualified"),
    "opinion_oordeelonthouding": N_("Disclaimer"),
    "opinion_afkeurend": N_("Adverse"),
    "document_xbrl": N_("File"),
    "document_annual-report": N_("Annual report"),
    "document_auditor-report": N_("Auditor's report"),
    "key_portal": N_("Key in the portal"),
    "key_public-key": N_("Own key"),
    "key_certificate": N_("Certificate"),
    "size_small": N_("small (< 3 mln)"),
    "size_medium": N_("medium (3-12 mln)"),
    "size_large": N_("large (> 12 mln)"),
    "download_long": N_("Long format: one fact per row"),
    "download_wide": N_("Wide format: one board per row"),
    "span_1": N_("1 year"),
    "span_2": N_("average, 2 years"),
    "span_3": N_("average, 3 years"),
    "forbidden": N_("This page is for another role."),
    "year_submitted": N_("Submitted"),
    "year_submitted-late": N_("Submitted, late"),
    "year_ready": N_("Ready to submit"),
    "year_to-fix": N_("To be fixed"),
    "year_checking": N_("Being checked"),
    "year_nothing": N_("Nothing uploaded yet"),
    "error_title_404": N_("Not found"),
    "error_title_403": N_("No access"),
    "error_title_500": N_("Something went wrong"),
    "error_title": N_("That did not work"),
}
