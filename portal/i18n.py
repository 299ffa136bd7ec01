"""The pages speak Dutch, with an English switch. Texts live here, by key."""

from __future__ import annotations

from flask import current_app, g, request, session
from flask_login import current_user

LANGUAGES = ("nl", "en")
TEXTS: dict[str, tuple[str, str]] = {
    "portal": ("Verantwoordingsportaal onderwijs", "Education accountability portal"),
    "tagline": ("Jaarverantwoording van schoolbesturen", "Annual accounts of school boards"),
    "login": ("Inloggen", "Log in"),
    "logout": ("Uitloggen", "Log out"),
    "email": ("E-mailadres", "E-mail address"),
    "password": ("Wachtwoord", "Password"),
    "welcome": ("Welkom, {name}", "Welcome, {name}"),
    "your_boards": ("Uw besturen", "Your school boards"),
    "all_boards": ("Alle besturen", "All school boards"),
    "no_boards": ("Er zijn nog geen besturen aan u gekoppeld.", "No school boards are linked to you yet."),
    "number": ("Nummer", "Number"),
    "name": ("Naam", "Name"),
    "kvk": ("KvK-nummer", "Chamber of Commerce no."),
    "sectors": ("Sectoren", "Sectors"),
    "language": ("English", "Nederlands"),  # the switch offers the other language
    "logged_out": ("U bent uitgelogd.", "You are logged out."),
    "change_password": ("Wachtwoord wijzigen", "Change password"),
    "current_password": ("Huidig wachtwoord", "Current password"),
    "new_password": ("Nieuw wachtwoord (minstens 12 tekens)", "New password (at least 12 characters)"),
    "repeat_password": ("Nieuw wachtwoord nogmaals", "New password again"),
    "password_help": ("Na het wijzigen bent u overal elders uitgelogd.",
                      "After the change you are logged out everywhere else."),
    "password_changed": ("Uw wachtwoord is gewijzigd; andere sessies zijn beëindigd.",
                         "Your password was changed; other sessions have ended."),
    "login_needed": ("Log in om verder te gaan.", "Log in to continue."),
    "csrf": ("Het formulier is verlopen of ongeldig; probeer het opnieuw.", "The form expired or is invalid; please try again."),
    "not_found": ("Niet gevonden.", "Not found."),
    "error_title_404": ("Niet gevonden", "Not found"),
    "error_title_403": ("Geen toegang", "No access"),
    "error_title_500": ("Er ging iets mis", "Something went wrong"),
    "error_title": ("Dat lukte niet", "That did not work"),
    "error_home": ("Naar de startpagina", "Go to the home page"),
    "error_code": ("(code {code})", "(code {code})"),
    "unavailable": ("Het portaal kan de database nu niet bereiken; probeer het over een minuut opnieuw. Wat u al "
                    "hebt ingediend, is bewaard.", "The portal cannot reach its database right now; please try again "
                    "in a minute. What you submitted before is kept."),
    "too_large": ("Het bestand is te groot.", "The file is too large."),
    "storage_unavailable": ("De opslag van bestanden is nu niet bereikbaar. Er is niets bewaard of gewijzigd; probeer "
                            "het over een halve minuut opnieuw.", "The file store cannot be reached right now. Nothing "
                            "was stored or changed; please try again in half a minute."),
    "annual_report": ("Jaarverantwoording {year}", "Annual report {year}"),
    "upload_title": ("Jaarverantwoording uploaden", "Upload the annual report"),
    "upload_help": ("Sleep het XBRL-bestand (.xbrl, .xhtml of een rapportpakket .zip/.xbri) hierheen, of kies het.",
                    "Drop the XBRL file (.xbrl, .xhtml or a report package .zip/.xbri) here, or choose it."),
    "choose_file": ("Bestand kiezen", "Choose file"),
    "upload": ("Uploaden en controleren", "Upload and check"),
    "versions": ("Versies", "Versions"),
    "no_versions": ("Nog geen versies voor dit jaar.", "No versions for this year yet."),
    "version": ("Versie", "Version"),
    "file": ("Bestand", "File"),
    "uploaded": ("Geüpload", "Uploaded"),
    "uploaded_by": ("door", "by"),
    "status": ("Status", "Status"),
    "open": ("Openen", "Open"),
    "file_year": ("Jaarverantwoording {year} indienen", "File the {year} annual report"),
    "status_queued": ("In de wachtrij", "Queued"),
    "status_validating": ("Wordt gecontroleerd", "Being checked"),
    "status_error": ("Controle niet afgerond", "Check not completed"),
    "status_valid": ("Geldig", "Valid"),
    "status_valid-with-warnings": ("Geldig met waarschuwingen", "Valid with warnings"),
    "status_invalid": ("Ongeldig", "Invalid"),
    "status_rejected": ("Geweigerd", "Rejected"),
    "explain_valid": ("Er zijn geen problemen gevonden.", "No problems were found."),
    "explain_valid-with-warnings": ("Geen fouten; bekijk de waarschuwingen hieronder.", "No errors; please look at the warnings below."),
    "explain_invalid": ("Los de fouten hieronder op en upload daarna een nieuwe versie.", "Fix the errors below, then upload a new version."),
    "explain_rejected": ("Het bestand kon niet als XBRL worden gelezen; zie hieronder waarom.", "The file could not be read as XBRL; see below why."),
    "explain_error": ("De controle kon niet worden afgerond; hieronder staat waarom en wat u kunt doen.", "The check could not be completed; see below why and what you can do."),
    "status_expired": ("Uw sessie is verlopen: de voortgang wordt niet meer bijgewerkt.",
                       "Your session has ended: progress is no longer updated."),
    "reload_page": ("Log opnieuw in en bekijk de uitslag", "Log in again and see the result"),
    "progress": ("De controle loopt; deze pagina werkt zichzelf bij.", "The check is running; this page updates itself."),
    "severity_error": ("Fouten", "Errors"),
    "severity_inconsistency": ("Rekenfouten", "Calculation inconsistencies"),
    "severity_warning": ("Waarschuwingen", "Warnings"),
    "severity_info": ("Meldingen", "Notes"),
    "general": ("Algemeen", "General"),
    "code": ("Code", "Code"),
    "item": ("Post", "Item"),
    "what": ("Wat is er aan de hand", "What is wrong"),
    "period": ("Periode", "Period"),
    "values": ("Waarde(n)", "Value(s)"),
    "line": ("Regel", "Line"),
    "signals": ("Signaleringswaarden van de inspectie", "The inspectorate's signalling values"),
    "signal": ("Kengetal", "Key figure"),
    "value": ("Waarde", "Value"),
    "threshold": ("Signaleringsgrens", "Threshold"),
    "breach": ("Signaal", "Signal"),
    "ok": ("Binnen de grens", "Within the threshold"),
    "no_threshold": ("geen grens", "no threshold"),
    "not_computable": ("Niet te berekenen", "Not computable"),
    "download_report": ("Validatierapport (JSON)", "Validation report (JSON)"),
    "download_report_pdf": ("Validatierapport (PDF)", "Validation report (PDF)"),
    "new_version": ("Nieuwe versie uploaden", "Upload a new version"),
    "sha256": ("Controlegetal (SHA-256)", "Checksum (SHA-256)"),
    "taxonomy": ("Taxonomie", "Taxonomy"),
    "back_to_year": ("Terug naar {year}", "Back to {year}"),
    "signal_solvency2": ("Solvabiliteit 2", "Solvency 2"),
    "signal_current_ratio": ("Liquiditeit (current ratio)", "Current ratio"),
    "signal_cash": ("Liquide middelen", "Cash"),
    "signal_excess_public_equity": ("Mogelijk bovenmatig publiek eigen vermogen", "Possibly excess public equity"),
    "signal_housing_ratio": ("Huisvestingsratio", "Housing ratio"),
    "signal_resilience": ("Weerstandsvermogen", "Resilience"),
    # Why a signalling value is not computable: validators.signals writes the reason in English, "what: detail".
    "reason_missing_input": ("ontbrekend gegeven: {detail}", "missing input: {detail}"),
    "reason_zero_denominator": ("de noemer is nul: {detail}", "zero denominator: {detail}"),
    "reason_no_threshold": ("geen signaleringsgrens te bepalen: {detail}", "no threshold: {detail}"),
    "reason_missing_year": ("ontbrekend jaar: {detail}", "missing year: {detail}"),
    "signals_version": ("Versie van de signaleringsgrenzen: {version}", "Version of the thresholds: {version}"),
    "signals_absent": ("Niet berekend: het bestand kon niet worden gelezen.", "Not computed: the file could not be read."),
    # The validation report as PDF (report_pdf.py).
    "report_title": ("Validatierapport jaarverantwoording", "Validation report: annual accounts"),
    "test_banner": ("TESTVERSIE - niet ingediend", "TEST VERSION - not submitted"),
    "verdict": ("Oordeel", "Verdict"),
    "findings": ("Bevindingen", "Findings"),
    "no_findings": ("Er zijn geen bevindingen.", "There are no findings."),
    "dimensions": ("Dimensies", "Dimensions"),
    "period_range": ("{start} t/m {end}", "{start} to {end}"),
    "file_size": ("{size} bytes", "{size} bytes"),
    "page_of": ("Pagina {page} van {pages}", "Page {page} of {pages}"),
    "submit_title": ("Indienen", "Submit"),
    "declaration": ("Ik verklaar dat dit de door het bestuur vastgestelde en door de accountant gecontroleerde "
                    "jaarverantwoording is, en dat ik bevoegd ben die namens het bevoegd gezag in te dienen.",
                    "I declare that this is the annual report adopted by the board and audited by the accountant, "
                    "and that I am authorised to submit it on behalf of the school board."),
    "submit": ("Jaarverantwoording indienen", "Submit the annual report"),
    "deadline_note": ("Indienen kan tot {deadline} (Nederlandse tijd); daarna wordt een indiening als te laat gemarkeerd. Tot die tijd "
                      "kunt u een gecorrigeerde versie indienen; de laatst ingediende telt.",
                      "You can submit until {deadline} (Dutch time); later submissions are marked late. Until then you can submit "
                      "a corrected version; the latest submitted counts."),
    "deadline_passed": ("De termijn voor {year} is verstreken ({deadline}). U kunt nog indienen, maar de indiening "
                        "wordt als te laat gemarkeerd.",
                        "The deadline for {year} has passed ({deadline}). You can still submit, but the submission "
                        "will be marked late."),
    "submitted": ("Ingediend", "Submitted"),
    "submitted_as": ("Deze versie is ingediend: ontvangstbewijs {number}.", "This version was submitted: receipt {number}."),
    "receipt": ("Ontvangstbewijs", "Receipt"),
    "receipt_number": ("Nummer", "Number"),
    "submitted_at": ("Ingediend op", "Submitted at"),
    "submitted_by": ("Ingediend door", "Submitted by"),
    "board": ("Bevoegd gezag", "School board"),
    "year": ("Verslagjaar", "Reporting year"),
    "late": ("Te laat", "Late"),
    "on_time": ("Op tijd", "On time"),
    "yes": ("ja", "yes"),
    "no": ("nee", "no"),
    "download_pdf": ("Download PDF", "Download PDF"),
    "download_json": ("Download JSON", "Download JSON"),
    "counts": ("Telt als de ingediende jaarverantwoording", "Counts as the submitted annual report"),
    "superseded": ("Vervangen door een latere indiening", "Superseded by a later submission"),
    "submissions": ("Indieningen", "Submissions"),
    "log": ("Logboek", "Log"),
    "when": ("Wanneer", "When"),
    "who": ("Wie", "Who"),
    "action": ("Wat", "What"),
    "messages": ("Berichten", "Messages"),
    "audit_title": ("Logboek", "Audit log"),
    "duo_overview": ("Overzicht jaarverantwoordingen {year}", "Annual reports {year}: overview"),
    "duo_link": ("Overzicht DUO", "DUO overview"),
    "state_not-filed": ("Nog niet ingediend", "Not yet filed"),
    "state_late": ("Te laat", "Late"),
    "state_valid": ("Ingediend, geldig", "Filed, valid"),
    "state_valid-with-warnings": ("Ingediend, met waarschuwingen", "Filed, with warnings"),
    "days_left": ("nog {days} dagen", "{days} days left"),
    "deadline_passed_short": ("termijn verstreken", "deadline passed"),
    "acknowledge": ("Ontvangst bevestigen", "Acknowledge"),
    "acknowledged": ("Bevestigd", "Acknowledged"),
    "ask_correction": ("Om correctie vragen", "Ask for a correction"),
    "correction_placeholder": ("Wat moet er worden gecorrigeerd?", "What needs to be corrected?"),
    "correction_sent": ("Het verzoek om correctie is naar bestuur {number} gestuurd.", "The correction request was sent to board {number}."),
    "export_csv": ("Exporteren (CSV)", "Export (CSV)"),
    "deliveries": ("Aflevering", "Delivery"),
    "recipient_duo": ("DUO", "DUO"),
    "recipient_ocw": ("OCW", "OCW"),
    "recipient_inspectorate": ("Inspectie van het Onderwijs", "Education inspectorate"),
    "delivery_pending": ("wordt afgeleverd", "being delivered"),
    "delivery_delivered": ("afgeleverd op {at}", "delivered at {at}"),
    "delivery_acknowledged": ("afgeleverd op {at}, bevestigd op {ack}", "delivered at {at}, acknowledged at {ack}"),
    "delivery_superseded": ("vervangen door een correctie", "superseded by a correction"),
    "delivery_retry": ("wordt afgeleverd; pogingen mislukt: {n}, de volgende om {at}",
                       "being delivered; attempts failed: {n}, the next at {at}"),
    "your_clients": ("Uw klanten", "Your clients"),
    "no_clients": ("Nog geen bestuur heeft uw kantoor gemachtigd.", "No board has authorised your firm yet."),
    "test_version": ("TESTVERSIE", "TEST VERSION"),
    "test_version_note": ("Alleen om te controleren: deze versie kan niet worden ingediend, gaat naar niemand en wordt "
                          "op {date} verwijderd.", "For checking only: this version cannot be submitted, goes to no one "
                          "and is deleted on {date}."),
    "upload_as_test": ("Als testversie (alleen controleren, niet indienen; na {days} dagen verwijderd)",
                       "As a test version (check only, not for submission; deleted after {days} days)"),
    "accountant_test_only": ("U uploadt als accountant een testversie: alleen om te controleren, na {days} dagen "
                             "verwijderd. Het bestuur dient in.", "As an accountant you upload a test version: for "
                             "checking only, deleted after {days} days. The board submits."),
    "auth_title": ("Accountant {year}", "Accountant {year}"),
    "auth_since": ("gemachtigd op {date}", "authorised on {date}"),
    "auth_withdraw": ("Machtiging intrekken", "Withdraw"),
    "auth_none": ("Geen accountantskantoor gemachtigd.", "No audit firm authorised."),
    "auth_firm": ("Accountantskantoor", "Audit firm"),
    "auth_grant": ("Machtigen", "Authorise"),
    "auth_granted": ("{firm} is gemachtigd voor {year}.", "{firm} is authorised for {year}."),
    "auth_withdrawn": ("De machtiging van {firm} voor {year} is ingetrokken.",
                       "The authorisation of {firm} for {year} is withdrawn."),
    "auth_withdraw_confirm": ("Ja, intrekken", "Yes, withdraw"),
    "key_made": ("Uw nieuwe sleutel is gemaakt.", "Your new key is made."),
    "key_registered": ("Uw sleutel is geregistreerd.", "Your key is registered."),
    "key_revoked": ("De sleutel is ingetrokken; verklaringen die ermee zijn ondertekend, blijven zoals ze zijn.",
                    "The key is revoked; assurance signed with it stays as it is."),
    "revoke_confirm": ("Ja, intrekken", "Yes, revoke"),
    "assurance_attached": ("De ondertekende verklaring is aan versie {version} toegevoegd.",
                           "The signed assurance is attached to version {version}."),
    "document_added": ("Het jaarverslag (PDF) is aan versie {version} toegevoegd.",
                       "The annual report (PDF) is added to version {version}."),
    "assurance_title": ("Accountantsverklaring", "Auditor's assurance"),
    "documents_and_assurance": ("Jaarverslag en accountantsverklaring", "Annual report and auditor's assurance"),
    "assurance_valid": ("handtekening geldig", "signature valid"),
    "assurance_invalid": ("handtekening ONGELDIG", "signature INVALID"),
    "assurance_by": ("{opinion} oordeel van {date}, {name} ({firm})", "{opinion} opinion of {date}, {name} ({firm})"),
    "assurance_unnamed": ("{opinion} oordeel van {date}; de ondertekende verklaring (edu-assurance/1) noemt geen "
                          "ondertekenaar; toegevoegd door {name} ({firm})", "{opinion} opinion of {date}; the signed "
                          "statement (edu-assurance/1) names no signer; attached by {name} ({firm})"),
    "submitted_immutable": ("Deze versie is ingediend: wat het ontvangstbewijs noemt, verandert niet meer en er kan "
                            "niets aan worden toegevoegd.", "This version was submitted: what its receipt lists no "
                            "longer changes, and nothing can be added to it."),
    "certificate_claims": ("{name}, volgens het certificaat", "{name}, according to the certificate"),
    "assurance_key": ("Sleutel", "Key"),
    "assurance_download": ("Verklaring downloaden (JSON)", "Download the assurance (JSON)"),
    "assurance_none": ("Deze versie heeft (nog) geen digitale accountantsverklaring.",
                       "This version has no digital assurance (yet)."),
    "assurance_attach": ("Verklaring ondertekenen", "Sign assurance"),
    "assurance_sign": ("Ondertekenen en toevoegen", "Sign and attach"),
    "opinion": ("Oordeel", "Opinion"),
    "opinion_date": ("Datum controleverklaring", "Date of the auditor's report"),
    "opinion_goedkeurend": ("Goedkeurend", "Unqualified"),
    "opinion_met-beperking": ("Met beperking", "Qualified"),
    "opinion_oordeelonthouding": ("Oordeelonthouding", "Disclaimer"),
    "opinion_afkeurend": ("Afkeurend", "Adverse"),
    "document_xbrl": ("Bestand", "File"),
    "document_annual-report": ("Jaarverslag", "Annual report"),
    "document_auditor-report": ("Controleverklaring", "Auditor's report"),
    "add_document": ("Toevoegen", "Add"),
    "signing_key": ("Sleutel", "Key"),
    "passphrase": ("Wachtwoordzin", "Passphrase"),
    "passphrase_again": ("Wachtwoordzin nogmaals", "Passphrase again"),
    "signed_file": ("of: buiten het portaal ondertekend bestand", "or: a file signed outside the portal"),
    "signing_help": ("Met een sleutel uit het portaal: vul uw wachtwoordzin in. Met een eigen sleutel of certificaat: "
                     "onderteken met 'python -m validators sign-assurance ... --accountant {email} --firm \"{firm}\"' "
                     "en upload het bestand; de verklaring moet u en uw kantoor als ondertekenaar noemen.",
                     "With a key made in the portal: enter your passphrase. With your own key or certificate: sign "
                     "with 'python -m validators sign-assurance ... --accountant {email} --firm \"{firm}\"' and "
                     "upload the file; the assurance must name you and your firm as its signer."),
    "keys_first": ("Maak eerst een ondertekeningssleutel aan.", "First create a signing key."),
    "keys_title": ("Ondertekeningssleutels", "Signing keys"),
    "keys_intro": ("Met deze sleutels ondertekent u verklaringen. Het portaal bewaart een eigen sleutel alleen "
                   "versleuteld met uw wachtwoordzin.", "You sign assurance with these keys. The portal keeps a key "
                   "made here only encrypted with your passphrase."),
    "key_kind": ("Soort", "Kind"),
    "fingerprint": ("Vingerafdruk", "Fingerprint"),
    "created": ("Aangemaakt", "Created"),
    "revoked": ("ingetrokken", "revoked"),
    "revoke": ("Intrekken", "Revoke"),
    "key_portal": ("Sleutel in het portaal", "Key in the portal"),
    "key_public-key": ("Eigen sleutel", "Own key"),
    "key_certificate": ("Certificaat", "Certificate"),
    "key_generate": ("Nieuwe sleutel maken", "Make a new key"),
    "key_generate_help": ("Een Ed25519-sleutel; zonder de wachtwoordzin kan niemand ermee tekenen, ook het portaal "
                          "niet.", "An Ed25519 key; without the passphrase no one can sign with it, not even the "
                          "portal."),
    "key_register": ("Publieke sleutel of certificaat registreren", "Register a public key or certificate"),
    "key_pem": ("PEM-blok", "PEM block"),
    "key_register_help": ("Van 'python -m validators keygen' of een X.509-certificaat (Ed25519, ECDSA of RSA). Een "
                          "sleutel hoort bij één accountant: niemand anders kan hem daarna registreren.",
                          "From 'python -m validators keygen' or an X.509 certificate (Ed25519, ECDSA or RSA). A key "
                          "belongs to one accountant: no one else can register it afterwards."),
    "key_proof_intro": ("Bewijs dat u de privésleutel hebt: onderteken deze code (geldig tot {time} UTC, één keer "
                        "te gebruiken) met", "Prove that you hold the private key: sign this code (valid until "
                        "{time} UTC, to be used once) with"),
    "key_proof": ("Bewijs (de uitvoer van prove-key)", "Proof (the output of prove-key)"),
    "key_proof_help": ("De naam in een certificaat is wat het certificaat beweert; wie de sleutel heeft bewezen te "
                       "bezitten, is uw account in het portaal en uw kantoor.", "The name in a certificate is what "
                       "the certificate claims; who proved to hold the key is your portal account and your firm."),
    "submit_with_assurance": ("Deze versie heeft een geldige verklaring van {firm}.",
                              "This version carries valid assurance by {firm}."),
    "submit_without_assurance": ("Let op: deze versie heeft geen geldige accountantsverklaring. Elke nieuwe versie "
                                 "heeft een nieuwe verklaring nodig.", "Note: this version carries no valid "
                                 "assurance. Every new version needs new assurance."),
    "oim_exports": ("De ingediende gegevens, zoals OCW ze ontving", "The submitted data, as OCW received it"),
    "insp_title": ("Signaleringen {year}", "Signals {year}"),
    "insp_link": ("Signaleringen", "Signals"),
    "any": ("alle", "any"),
    "size": ("Omvang", "Size"),
    "size_small": ("klein (< 3 mln)", "small (< 3 mln)"),
    "size_medium": ("middel (3-12 mln)", "medium (3-12 mln)"),
    "size_large": ("groot (> 12 mln)", "large (> 12 mln)"),
    "show_all": ("ook besturen zonder signaal", "also boards without a signal"),
    "filter": ("Toon", "Show"),
    "no_signals": ("Geen besturen met een signaal.", "No boards with a signal."),
    "ocw_title": ("Geconsolideerde cijfers {year}", "Consolidated figures {year}"),
    "ocw_link": ("Cijfers OCW", "OCW figures"),
    "concept": ("Begrip", "Concept"),
    "boards_count": ("Besturen", "Boards"),
    "total": ("Totaal", "Total"),
    "median": ("Mediaan", "Median"),
    "change": ("Verschil met {previous}", "Change on {previous}"),
    "downloads": ("Downloads van alle besturen", "Downloads of all boards"),
    "download_long": ("Lang formaat: een feit per regel", "Long format: one fact per row"),
    "download_wide": ("Breed formaat: een bestuur per regel", "Wide format: one board per row"),
    "history_title": ("Kengetallen over de jaren", "Key figures over the years"),
    "profitability": ("Rentabiliteit", "Profitability"),
    "earlier_set": ("Eerdere set: rentabiliteit", "Earlier set: profitability"),
    "profitability_span": ("Rentabiliteit, gemiddelde over {years} jaar", "Profitability, average over {years} year(s)"),
    "earlier_history": ("Eerdere set per verslagjaar", "Earlier set per reporting year"),
    "earlier_history_help": ("Huisvestingsratio, weerstandsvermogen en rentabiliteit van elk jaar waarover het bestuur "
                             "indiende: de cijfers van de grafieken hierboven, als tabel.",
                             "Housing ratio, resilience and profitability of every year the board filed: the figures "
                             "of the charts above, as a table."),
    "assessment": ("Beoordeling", "Assessment"),
    "threshold_short": ("Grens", "Threshold"),
    "span_1": ("1 jaar", "1 year"),
    "span_2": ("gemiddelde 2 jaar", "average, 2 years"),
    "span_3": ("gemiddelde 3 jaar", "average, 3 years"),
    "forbidden": ("Deze pagina is voor een andere rol.", "This page is for another role."),
    "no_events": ("Nog geen gebeurtenissen.", "No events yet."),
    "no_messages": ("Geen berichten.", "No messages."),
    "receipt_sent": ("Een bevestiging is naar de leden van het bestuur gestuurd (zie Berichten).",
                     "A confirmation was sent to the board's members (see Messages)."),
}


def statement_label(definition: str | None, lang: str | None = None) -> str:
    """A statement's name in `lang` (default: the current language), from a role definition such as
    '200 - Balans (Balance sheet)'; other taxonomies' definitions are shown as they are."""
    lang = lang or language()
    if not definition:
        return text("general", lang)
    name = definition.split(" - ", 1)[-1]
    if name.endswith(")") and " (" in name:
        nl, en = name[:-1].split(" (", 1)
        return nl if lang == "nl" else en
    return name


def by_statement(findings: list[dict[str, object]]) -> list[tuple[str, list[dict[str, object]]]]:
    """Findings grouped by their statement (role definition), in order: first those that belong to no
    statement (None, empty or missing: "Algemeen"/"General", `statement_label("")`), then by name.
    The page and the PDF group alike; Jinja's groupby cannot, as it sorts None beside text."""
    groups: dict[str, list[dict[str, object]]] = {}
    for finding in findings:
        statement = finding.get("statement")
        groups.setdefault(statement if isinstance(statement, str) else "", []).append(finding)
    return sorted(groups.items(), key=lambda group: group[0])


def signal_reason(reason: str | None, lang: str) -> str:
    """Why a signalling value is not computable, in `lang`; a reason this module does not know is shown as it is."""
    what, _, detail = (reason or "").partition(": ")
    key = "reason_" + what.replace(" ", "_")
    if key not in TEXTS:
        return reason or ""
    return text(key, lang, detail=detail)


def language() -> str:
    """The current request's language: the user's choice, else the session's, else the default."""
    if "lang" not in g:
        chosen = session.get("lang")
        if chosen not in LANGUAGES and getattr(current_user, "is_authenticated", False):
            chosen = current_user.language
        g.lang = chosen if chosen in LANGUAGES else current_app.config["DEFAULT_LANGUAGE"]
    return g.lang


def text(key: str, lang: str, **values: object) -> str:
    """The text `key` in `lang`: for what is made in a chosen language outside a page, such as the report PDF."""
    nl, en = TEXTS[key]
    return (nl if lang == "nl" else en).format(**values)


def t(key: str, **values: object) -> str:
    """The text `key` in the current language."""
    return text(key, language(), **values)


def pick(message: dict[str, str]) -> str:
    """The current language's text of a {"nl", "en"} message."""
    return message.get(language()) or message.get("nl", "")


def client_address() -> str:
    """The client's address: the connection's, or with PROXY_FIX_X_FOR set, what the trusted proxies
    say (ProxyFix has put it in remote_addr)."""
    return request.remote_addr or "unknown"
