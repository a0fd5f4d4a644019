"""Command handlers of reports and records: /report, /export, /calendar, /team, /portfolio,
/forget.
"""
