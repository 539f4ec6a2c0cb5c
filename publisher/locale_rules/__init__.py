"""Locale rules Babel does not cover: native digits, the Solar Hijri calendar, bidi isolation."""
