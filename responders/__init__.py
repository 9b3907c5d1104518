"""Turning judged mentions into work: routing rules, cases, escalations and reply drafts."""
