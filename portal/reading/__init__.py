"""Reading a filing as a document: its statements as the taxonomy lays them out (`statements.py`),
what changed between two versions or two years (`compare.py`), and an inline filing shown as filed
in Arelle's ixbrl-viewer, isolated from the portal's origin (`viewer.py`). Every page and API
operation reads the facts its validation kept (filings.models.FilingFacts), never the file."""
