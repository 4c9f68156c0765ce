"""``python -m castguard.playbooks``: rewrite default.compiled.json from default.toml (maintainers)."""

from . import _main

_main()
