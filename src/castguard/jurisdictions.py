"""The jurisdictions the addendum's wording follows (the template set has one variant of each).

Kept apart from the drafting code so the command line can offer them as choices without loading it."""

from __future__ import annotations

JURISDICTIONS = ("CA", "NY", "IL", "TN", "US", "EU", "UK", "OTHER")
