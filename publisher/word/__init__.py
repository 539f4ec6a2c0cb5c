"""Word as the front door: an analyst's draft becomes an issue, a translator's document a catalog.

``draft`` reads a .docx through mammoth (with a style map) and lists what it
cannot map; ``markdown`` turns mammoth's HTML into the issue format;
``front`` finds the front matter in the document; ``align`` matches a
translated document to an issue's units.
"""
