"""The weekly advocacy report: who loves the brand, who is at risk, how fast the team answered.

``reports.weekly.compute_report`` reads one ISO week (and the week before, for
deltas) from the store with SQL aggregation and returns a typed
:class:`reports.model.WeeklyReport`; ``reports.render`` turns it into a
self-contained HTML page and a PDF, ``reports.files`` into CSV and JSON, and
``reports.store`` records each run. Delivery and scheduling live in the shell
(``socialcrm.report_job``). This package imports only ``config`` and ``crm``.
"""
