"""Submissions: what happens when a board submits a validated version, above filings,
accountants and the recipients. `receipts.py` issues the receipt (proof of filing) and
`notification.py` tells the board; `deadline.py` says when a submission is late;
`deliveries.py` hands every submitted version to DUO, OCW and the inspectorate (its
delivery job is jobs/deliveries.py); `views.py` has the submit button's endpoint and the
receipt pages; `models.py` the deliveries."""
