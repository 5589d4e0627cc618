"""The district review desk (issue 8): history of every versioned record, the audit log, the
dashboard and half-year report, and review notifications. Wired from community.wagtail_hooks."""
