"""Pure analysis functions over a compiled :class:`~accord.space.Space`, one topic per module."""
