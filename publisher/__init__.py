"""publisher: the CSRS Weekly Analysis in four editions from one source.

The pipeline reads as the package does: ``source`` (Markdown + YAML) → ``model``
(the canonical issue) → ``localize`` (the model seen through one locale's
catalogs and rules) → ``html`` (Jinja2 layout) → ``pdf`` (WeasyPrint), with
``catalogs`` and ``locale_rules`` beside it and ``cli`` on top.
"""

__version__ = "0.1.0"
