"""Negotiation processes: single-text mediation, shuttle diplomacy, alternating offers,
fair division, and tournaments of strategies.

One module per protocol; each is a pure function of its inputs and a seed, and
returns a frozen result carrying a trace (see :mod:`accord.protocols.engine`).
"""
