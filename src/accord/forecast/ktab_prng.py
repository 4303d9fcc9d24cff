"""KTAB's pseudo-random numbers, bit for bit: a 64-bit Mersenne Twister behind a quadratic map.

KTAB's ``KBase::PRNG`` draws a 64-bit word from the standard ``mt19937_64``
generator (M. Matsumoto and T. Nishimura, "Mersenne Twister: a 623-dimensionally
equidistributed uniform pseudo-random number generator", *ACM TOMACS* 8(1),
1998; the 64-bit parameters from T. Nishimura, "Tables of 64-bit Mersenne
Twisters", *ACM TOMACS* 10(4), 2000, as fixed by the C++11 standard) and passes
it through the one-to-one map ``q(i) = (i + a)(2i + 3) mod 2^64`` with
``a = 0xE08C1D668B756F83`` (the digits of the golden ratio, made odd).  A
uniform double on [0, 1] is that word divided by ``2^64 − 1``.  The stochastic
state transitions of the Spatial Model of Politics draw from it, so KTAB's
seeds give KTAB's draws here.
"""

from __future__ import annotations

__all__ = ["KTAB_DEFAULT_SEED", "KtabPrng"]

from accord.model.smp_settings import KTAB_DEFAULT_SEED

_MASK = (1 << 64) - 1
_N, _M = 312, 156
_MATRIX_A = 0xB5026F5AA96619E9
_UPPER, _LOWER = 0xFFFFFFFF80000000, 0x7FFFFFFF
_Q_ADD = 0xE08C1D668B756F83


class KtabPrng:
    """The stream of ``KBase::PRNG`` seeded with ``seed`` (a 64-bit unsigned integer)."""

    def __init__(self, seed: int) -> None:
        if not 0 <= seed <= _MASK:
            raise ValueError(f"a KTAB seed is a 64-bit unsigned integer, got {seed}")
        state = [0] * _N
        state[0] = seed
        for i in range(1, _N):
            previous = state[i - 1]
            state[i] = (6364136223846793005 * (previous ^ (previous >> 62)) + i) & _MASK
        self._state = state
        self._index = _N

    def _twist(self) -> None:
        s = self._state
        for i in range(_N):
            x = (s[i] & _UPPER) | (s[(i + 1) % _N] & _LOWER)
            shifted = x >> 1
            if x & 1:
                shifted ^= _MATRIX_A
            s[i] = s[(i + _M) % _N] ^ shifted
        self._index = 0

    def mt_next(self) -> int:
        """The next raw ``mt19937_64`` output."""
        if self._index >= _N:
            self._twist()
        y = self._state[self._index]
        self._index += 1
        y ^= (y >> 29) & 0x5555555555555555
        y ^= (y << 17) & 0x71D67FFFEDA60000
        y ^= (y << 37) & 0xFFF7EEE000000000
        y ^= y >> 43
        return y & _MASK

    def next_word(self) -> int:
        """``PRNG::uniform()``: the Mersenne Twister word after KTAB's quadratic map."""
        i = self.mt_next()
        return ((i + _Q_ADD) * (2 * i + 3)) & _MASK

    def uniform(self, low: float = 0.0, high: float = 1.0) -> float:
        """``PRNG::uniform(a, b)``: a double on ``[low, high]``."""
        x = float(self.next_word()) / float(_MASK)
        return low + (high - low) * x

    def select(self, probabilities: list[float]) -> int:
        """``PRNG::probSel``: index ``i`` with probability ``probabilities[i]`` (one draw)."""
        p = self.uniform(0.0, 1.0)
        total = 0.0
        for i, q in enumerate(probabilities):
            total += q
            if p <= total:
                return i
        return len(probabilities) - 1  # round-off: the cumulative sum fell just short of 1
