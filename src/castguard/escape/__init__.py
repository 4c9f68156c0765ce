"""One escaping module per output medium; every writer of that medium uses it.

- :mod:`.terminal`: what castguard prints (controls and bidi marks shown as escapes)
- :mod:`.markdown`: Markdown reports and addenda (HTML tags, link and image syntax, table pipes, emphasis)
- :mod:`.html`: HTML reports, the dashboard and HTML addenda
- :mod:`.spreadsheet`: CSV and xlsx cells (formula neutralising)

Word documents are written through python-docx/lxml, which escapes XML itself; ingest has already replaced
every character XML cannot hold (see :mod:`castguard.ingest._assemble`).
"""
