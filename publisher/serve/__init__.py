"""``publisher serve``: a live preview of every edition, rebuilt on save.

``affected`` (which editions a saved file changes) → ``previews`` (render them
in this warm process, keep the last good one) → ``units`` (a clicked block's
message) → ``app`` (the pages, PDFs and reload stream) → ``watch`` and ``run``.
"""
