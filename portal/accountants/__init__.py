"""Audit firms' accountants: authorisations by boards, pre-validation, digital assurance."""
