"""Jinja2 environments, one per kind of output: :mod:`.sandbox` for the user-editable addendum templates
(Markdown, sandboxed), :mod:`.html` for castguard's own HTML pages (the review report, the batch dashboard, the
addendum as HTML), whose templates ship inside the package (``templating/html_templates/``)."""
