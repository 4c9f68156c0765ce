"""``python -m castguard``: the same command line as ``castguard``."""

from .cli import main

main()
