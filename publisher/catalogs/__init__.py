"""Gettext catalogs: extraction, merging, reading, statistics and checks (Babel)."""
