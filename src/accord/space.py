"""The numeric hub: a scenario compiled to numpy arrays.

Every algorithm in :mod:`accord.analysis` takes a :class:`Space` (and plain
arrays), never the model, so that algorithms stay small, fast and testable
against brute force.  Results carry indices into the Space; callers map them
back to ids through ``party_ids``, ``issue_ids`` and ``option_ids``.

Utility contract (see ``docs/explanation/utility.md``): for party ``p`` and a
complete package ``x`` (one option index per issue)::

    u_p(x) = Σ_i contribution[p, i, x_i],   contribution = weight[p, i] · value[p, i, o]

with each party's weights normalised to sum to 1.  A package is acceptable to
``p`` when it contains none of ``p``'s red lines and ``u_p(x) ≥ reservation[p]``.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING, NamedTuple

import numpy as np
from numpy.typing import NDArray

from accord.errors import UnknownIdError
from accord.model.suggest import closest

if TYPE_CHECKING:
    from accord.model import Scenario

__all__ = ["NOT_TERM_AWARE", "UNRESOLVED", "AdditivePartOnly", "AdditiveTables", "Space", "compile_scenario",
           "outcome_count",
           "weight_scale"]

#: Marks an unresolved ("bracketed") point in a text's option-index vector.
UNRESOLVED = -1

#: Absolute tolerance used when comparing a utility with a reservation value, so
#: that a package exactly at the reservation value is acceptable despite
#: floating-point rounding in the weight normalisation.
UTILITY_TOLERANCE = 1e-9

FloatArray = NDArray[np.float64]
IntArray = NDArray[np.int64]
BoolArray = NDArray[np.bool_]


@dataclass(frozen=True, eq=False)
class Space:
    """A negotiation as arrays.  ``P`` parties with preferences, ``I`` issues, ``K`` = max options.

    Attributes:
        party_ids: the parties that have preferences, in scenario order (length P).
        issue_ids: the issues, in scenario order (length I).
        option_ids: per issue, its option ids in order.
        n_options: ``(I,)`` number of options per issue.
        option_mask: ``(I, K)`` True where ``o < n_options[i]`` (the rest is padding).
        weights: ``(P, I)`` normalised weights (each row sums to 1; 0 = indifferent).
        values: ``(P, I, K)`` option values in [0, 1]; 0 in padding.
        contribution: ``(P, I, K)`` ``weights[..., None] * values``; 0 in padding.
        red_lines: ``(P, I, K)`` True where the option is one of the party's red lines.
        reservation: ``(P,)`` walk-away utilities.
        must_accept: ``(P,)`` True for the parties whose acceptance a deal needs.
        text_ids: the texts, in scenario order (length T).
        texts: ``(T, I)`` option index per issue, or ``UNRESOLVED``.
        text_parents: ``(T,)`` index of each text's parent text, or -1.
    """

    party_ids: tuple[str, ...]
    issue_ids: tuple[str, ...]
    option_ids: tuple[tuple[str, ...], ...]
    n_options: IntArray
    option_mask: BoolArray
    weights: FloatArray
    values: FloatArray
    contribution: FloatArray
    red_lines: BoolArray
    reservation: FloatArray
    must_accept: BoolArray
    text_ids: tuple[str, ...]
    texts: IntArray
    text_parents: IntArray
    #: True when some estimate in the scenario is a distribution: the arrays then hold
    #: means (and red lines with p ≥ 0.5); `accord chance` samples the distributions.
    uses_means: bool = False
    #: Interaction terms (``docs/explanation/utility.md``), one entry per term: the party
    #: it belongs to, its value, and its conditions ``((issue, (option, …)), …)``.
    term_party: IntArray = field(default_factory=lambda: _frozen_empty(np.int64))
    term_value: FloatArray = field(default_factory=lambda: _frozen_empty(np.float64))
    term_conditions: tuple[tuple[tuple[int, tuple[int, ...]], ...], ...] = ()
    #: Conditional red lines as forbidden pairs, one row ``(party, i, a, j, b)`` each: the
    #: party refuses every package with issue ``i`` at option ``a`` and ``j`` at ``b``.
    pair_bans: IntArray = field(default_factory=lambda: _frozen_empty(np.int64, (0, 5)))
    #: The tables of a Space with terms or pairs.  Its ``weights``, ``values``,
    #: ``contribution`` and ``red_lines`` then refuse to be read (:class:`AdditivePartOnly`),
    #: so that an analysis that knows only additive utilities and single-option red lines
    #: cannot answer silently wrong; term-aware code reads :attr:`tables`.  None for an
    #: additive Space, whose fields are the tables.
    _additive: AdditiveTables | None = field(default=None, repr=False)

    def __repr__(self) -> str:
        # The generated repr printed every array (1.9 kB on the job offer, 10 kB on the flagship).
        def ids(items: tuple[str, ...]) -> str:
            shown = ", ".join(items[:6]) + (f", … ({len(items)} in all)" if len(items) > 6 else "")
            return f"[{shown}]"

        return (f"Space(parties={ids(self.party_ids)}, issues={self.n_issues}, "
                f"texts={ids(self.text_ids)}, outcomes={self.n_outcomes:,})")

    # -- shape --------------------------------------------------------------

    @property
    def n_parties(self) -> int:
        return len(self.party_ids)

    @property
    def n_issues(self) -> int:
        return len(self.issue_ids)

    @property
    def n_outcomes(self) -> int:
        """Number of complete packages (a Python int: it can exceed 2**63)."""
        return outcome_count(self.n_options)

    # -- structure: additive, or with terms and conditional red lines --------

    @property
    def has_terms(self) -> bool:
        """True when some party's utility has interaction terms."""
        return bool(self.term_value.size)

    @property
    def has_pair_bans(self) -> bool:
        """True when some party has conditional red lines (forbidden pairs of options)."""
        return bool(self.pair_bans.shape[0])

    @property
    def is_additive(self) -> bool:
        """True when utilities are the additive tables alone and red lines single options."""
        return self._additive is None

    @property
    def tables(self) -> AdditiveTables:
        """The additive tables and single-option red lines, readable whatever the structure.

        For an additive Space they are its own fields; with terms or conditional
        red lines they are the additive part, which term-aware code combines with
        :attr:`term_conditions` and :attr:`pair_bans`.
        """
        if self._additive is None:
            return AdditiveTables(self.weights, self.values, self.contribution, self.red_lines)
        return self._additive

    @property
    def additive_contribution(self) -> FloatArray:
        """``(P, I, K)`` the additive part of every utility (the whole of it when additive)."""
        return self.contribution if self._additive is None else self._additive.contribution

    @cached_property
    def term_masks(self) -> BoolArray:
        """``(T, I, K)`` True where an option meets the term's condition on the issue.

        An issue the term does not name is all True, so a term holds for package
        ``x`` exactly when ``term_masks[t, i, x_i]`` for every issue ``i``.
        """
        masks = np.ones((len(self.term_conditions), self.n_issues, self.option_mask.shape[1]),
                        dtype=bool)
        for t, conditions in enumerate(self.term_conditions):
            for issue, options in conditions:
                masks[t, issue] = False
                masks[t, issue, list(options)] = True
        masks.setflags(write=False)
        return masks

    def term_hits(self, packages: IntArray) -> BoolArray:
        """``(N, I)`` complete packages → ``(N, T)``: True where the term holds."""
        batch = np.atleast_2d(np.asarray(packages, dtype=np.int64))
        if not self.term_conditions:
            return np.zeros((batch.shape[0], 0), dtype=bool)
        gathered = self.term_masks[:, np.arange(self.n_issues)[None, :], batch]  # (T, N, I)
        return np.asarray(gathered.all(axis=2).T)

    def pair_ban_hits(self, packages: IntArray) -> BoolArray:
        """``(N, I)`` complete packages → ``(N, B)``: True where the forbidden pair is in the package."""
        batch = np.atleast_2d(np.asarray(packages, dtype=np.int64))
        bans = self.pair_bans
        return np.asarray((batch[:, bans[:, 1]] == bans[:, 2]) & (batch[:, bans[:, 3]] == bans[:, 4]))

    # -- index look-ups -----------------------------------------------------

    # One resolver for every public function: an id or an index in, an index out.
    # Look-ups go through dicts (built once, on first use), so that callers looping
    # over thousands of ids stay linear.  Anything that names nothing raises
    # UnknownIdError (a KeyError, and a ValueError as before) with "did you mean".

    @cached_property
    def _positions(self) -> tuple[dict[str, int], dict[str, int], dict[str, int]]:
        def position(ids: tuple[str, ...]) -> dict[str, int]:
            found: dict[str, int] = {}
            for n, item in enumerate(ids):
                found.setdefault(item, n)
            return found

        return position(self.party_ids), position(self.issue_ids), position(self.text_ids)

    @cached_property
    def _option_positions(self) -> tuple[dict[str, int], ...]:
        return tuple({o: n for n, o in reversed(list(enumerate(ids)))} for ids in self.option_ids)

    @staticmethod
    def _look_up(table: dict[str, int], key: str | int, kind: str, ids: tuple[str, ...]) -> int:
        if isinstance(key, (int, np.integer)) and not isinstance(key, (bool, np.bool_)):
            if 0 <= int(key) < len(ids):
                return int(key)
            span = f"0 to {len(ids) - 1}" if ids else "none"
            raise UnknownIdError(kind, int(key), ids,
                                 message=f"no {kind} number {int(key)} (indices: {span})")
        found = table.get(key) if isinstance(key, str) else None
        if found is None:
            suggestion = closest(key, ids) if isinstance(key, str) else None
            raise UnknownIdError(kind, key, ids, suggestion=suggestion)
        return found

    def party_index(self, party: str | int) -> int:
        """The index of a party given by id or by index.

        Parameters
        ----------
        party
            A party id (``"ua"``) or an index into :attr:`party_ids`.

        Returns
        -------
        int
            The party's row in every per-party array.

        Raises
        ------
        UnknownIdError
            When ``party`` names no party; the message suggests the closest id.

        Examples
        --------
        >>> from accord.io.scenario_file import load
        >>> space = compile_scenario(load("examples/job-offer.toml"))
        >>> space.party_index("northwind"), space.party_index(1)
        (1, 1)
        >>> space.party_index("nortwind")
        Traceback (most recent call last):
        ...
        accord.errors.UnknownIdError: unknown party 'nortwind' (did you mean 'northwind'?); ...
        """
        return self._look_up(self._positions[0], party, "party", self.party_ids)

    def issue_index(self, issue: str | int) -> int:
        """The index of an issue given by id or by index (see :meth:`party_index`)."""
        return self._look_up(self._positions[1], issue, "issue", self.issue_ids)

    def option_index(self, issue: int | str, option: str | int) -> int:
        """The index of an option of ``issue``, each given by id or by index."""
        i = self.issue_index(issue)
        return self._look_up(self._option_positions[i], option, f"option of {self.issue_ids[i]!r}",
                             self.option_ids[i])

    def text_index(self, text: str | int) -> int:
        """The index of a text given by id or by index (see :meth:`party_index`).

        Examples
        --------
        >>> from accord.io.scenario_file import load
        >>> space = compile_scenario(load("examples/job-offer.toml"))
        >>> space.text_index("counter"), space.text_index(0)
        (1, 0)
        """
        return self._look_up(self._positions[2], text, "text", self.text_ids)

    def party_indices(self, parties: str | int | Iterable[str | int] | None) -> list[int] | None:
        """:meth:`party_index` of each of ``parties`` (one id or index alone is one party).

        ``None`` stays ``None`` (the caller's "every party"), so that a function can
        pass its argument through unchanged.
        """
        if parties is None:
            return None
        if isinstance(parties, (str, int, np.integer)):
            parties = [parties]
        return [self.party_index(p) for p in parties]

    def text_indices(self, texts: str | int | Iterable[str | int] | None) -> list[int] | None:
        """:meth:`text_index` of each of ``texts`` (``None`` stays ``None``: every text)."""
        if texts is None:
            return None
        if isinstance(texts, (str, int, np.integer)):
            texts = [texts]
        return [self.text_index(t) for t in texts]

    def package(self, package: Mapping[str | int, str | int] | Sequence[int] | IntArray, *,
                complete: bool = False) -> IntArray:
        """The option-index vector of a package given as users have it.

        Parameters
        ----------
        package
            ``{issue: option}`` with ids or indices (issues left out are open:
            ``UNRESOLVED``), or one option index per issue (``UNRESOLVED``, -1,
            for an open point).
        complete
            Refuse open points (for the functions that need a whole package).

        Returns
        -------
        numpy.ndarray
            ``(I,)`` option indices, a fresh array.

        Raises
        ------
        UnknownIdError
            When an issue or option names nothing (with "did you mean").
        ValueError
            When an index array has the wrong length or an index out of range,
            or ``complete`` is set and a point is open.

        Examples
        --------
        >>> from accord.io.scenario_file import load
        >>> space = compile_scenario(load("examples/job-offer.toml"))
        >>> space.package({"salary": "110k", "bonus": 1}).tolist()
        [2, -1, -1, -1, 1]
        >>> space.package({"salary": "110"})
        Traceback (most recent call last):
        ...
        accord.errors.UnknownIdError: unknown option of 'salary' '110' (did you mean '110k'?); ...
        """
        vector = np.full(self.n_issues, UNRESOLVED, dtype=np.int64)
        if isinstance(package, Mapping):
            for issue, option in package.items():
                i = self.issue_index(issue)
                vector[i] = self.option_index(i, option)
        else:
            if isinstance(package, str):
                raise TypeError(f"a package is a mapping or an index array, not the string "
                                f"{package!r} (a text id goes to the functions that take texts)")
            given = np.asarray(package)
            whole = given.dtype.kind in "iu" or (given.dtype.kind == "f"
                                                 and bool(np.all(given == np.round(given))))
            if given.size and not whole:
                raise TypeError(f"a package as an array holds option indices, got {given.dtype}"
                                " (a mapping {issue: option} takes ids)")
            if given.shape != (self.n_issues,):
                raise ValueError(f"a package needs {self.n_issues} option indices, got shape "
                                 f"{given.shape}")
            vector[:] = given.astype(np.int64)
            if ((vector < UNRESOLVED) | (vector >= self.n_options)).any():
                raise ValueError("option index out of range")
        if complete and (vector == UNRESOLVED).any():
            open_ids = [self.issue_ids[i] for i in np.flatnonzero(vector == UNRESOLVED)]
            raise ValueError(f"a complete package is needed; open: {', '.join(open_ids)}")
        return vector

    def text_or_package(self, given: str | int | Mapping[str | int, str | int] | Sequence[int]
                        | IntArray) -> tuple[int | None, IntArray]:
        """A text (id or index) or a package (see :meth:`package`): its text index and options.

        The text index is None for a package; an int alone is a text index.

        Examples
        --------
        >>> from accord.io.scenario_file import load
        >>> space = compile_scenario(load("examples/job-offer.toml"))
        >>> index, vector = space.text_or_package("revised")
        >>> index, vector.tolist() == space.texts[2].tolist()
        (2, True)
        >>> space.text_or_package({"salary": "110k"})[0] is None
        True
        """
        if isinstance(given, (str, int, np.integer)):
            index = self.text_index(given)
            return index, self.texts[index].astype(np.int64)
        return None, self.package(given)

    def positions(self, package: Sequence[int] | IntArray) -> dict[str, str]:
        """``{issue id: option id}`` for an option-index vector (UNRESOLVED issues left out)."""
        return {
            self.issue_ids[i]: self.option_ids[i][int(o)]
            for i, o in enumerate(package)
            if int(o) != UNRESOLVED
        }

    # -- batch evaluation of complete packages -------------------------------

    def utilities(self, packages: IntArray) -> FloatArray:
        """Utilities of complete packages: ``(N, I)`` option indices → ``(N, P)``.

        A single package ``(I,)`` gives ``(P,)``.
        """
        packages = np.asarray(packages, dtype=np.int64)
        single = packages.ndim == 1
        batch = np.atleast_2d(packages)
        self._check_complete(batch)
        issue_index = np.arange(self.n_issues)
        # contribution[:, i, x_i] for every package: (P, N, I) then sum over issues.
        gathered = self.additive_contribution[:, issue_index[None, :], batch]
        result = gathered.sum(axis=2).T
        if self.has_terms:
            owner = np.zeros((self.term_value.size, self.n_parties))
            owner[np.arange(self.term_value.size), self.term_party] = self.term_value
            result = result + self.term_hits(batch).astype(np.float64) @ owner
        return result[0] if single else result

    def red_line_hits(self, packages: IntArray) -> BoolArray:
        """``(N, I)`` → ``(N, P)``: True where the package contains one of the party's red lines."""
        packages = np.asarray(packages, dtype=np.int64)
        single = packages.ndim == 1
        batch = np.atleast_2d(packages)
        self._check_complete(batch)
        issue_index = np.arange(self.n_issues)
        red_lines = self.red_lines if self._additive is None else self._additive.red_lines
        hits: BoolArray = np.asarray(red_lines[:, issue_index[None, :], batch].any(axis=2).T)
        if self.has_pair_bans:
            owner = np.zeros((self.pair_bans.shape[0], self.n_parties), dtype=bool)
            owner[np.arange(self.pair_bans.shape[0]), self.pair_bans[:, 0]] = True
            hits = hits | ((self.pair_ban_hits(batch).astype(np.int64) @ owner) > 0)
        return hits[0] if single else hits

    def acceptable(self, packages: IntArray) -> BoolArray:
        """``(N, I)`` → ``(N, P)``: no red line hit and utility ≥ reservation."""
        utilities = self.utilities(packages)
        return (~self.red_line_hits(packages)) & (
            utilities >= self.reservation - UTILITY_TOLERANCE
        )

    def _check_complete(self, batch: IntArray) -> None:
        if batch.shape[-1] != self.n_issues:
            raise ValueError(f"a package needs {self.n_issues} option indices, got {batch.shape[-1]}")
        if batch.size and ((batch < 0).any() or (batch >= self.n_options).any()):
            raise ValueError("packages must be complete (no UNRESOLVED) and within each issue's options")


class AdditiveTables(NamedTuple):
    """A Space's additive tables and single-option red lines (see :attr:`Space.tables`)."""

    weights: FloatArray
    values: FloatArray
    contribution: FloatArray
    red_lines: BoolArray


def _frozen_empty(dtype: type, shape: tuple[int, ...] = (0,)) -> NDArray[np.generic]:
    array = np.zeros(shape, dtype=dtype)
    array.setflags(write=False)
    return array


class AdditivePartOnly(np.ndarray):
    """The tables of a Space with terms or conditional red lines: they refuse to be read.

    Every analysis that knows only the additive contract reads
    ``space.contribution``, ``weights``, ``values`` or ``red_lines``; with terms
    or forbidden pairs it would answer for the additive part alone, silently
    wrong.  Indexing them, or using them in a numpy function, raises
    :class:`~accord.errors.AnalysisError` instead (``shape`` and ``dtype`` still
    answer); term-aware code reads :attr:`Space.tables`.
    """

    def _refuse(self, *args: object, **kwargs: object) -> object:
        from accord.errors import AnalysisError

        raise AnalysisError(NOT_TERM_AWARE)

    __getitem__ = _refuse
    __array_ufunc__ = _refuse  # type: ignore[assignment]
    __array_function__ = _refuse  # type: ignore[assignment]


#: What an analysis that knows only additive utilities says about a Space with terms.
NOT_TERM_AWARE = (
    "this scenario has interaction terms or conditional red lines (requires/excludes), and "
    "this analysis reads only the additive part of the utilities, so it would answer wrongly; "
    "it refuses. The term-aware commands are evaluate, diff, frontier, solve, amend, improve, "
    "chance, robust, sensitivity and simulate (the report, forecasts and GENIUS export are "
    "not yet); see docs/explanation/utility.md")


def outcome_count(n_options: Sequence[int] | IntArray) -> int:
    """The product of the option counts, exactly (a Python int: it can exceed 2**63)."""
    return math.prod(int(count) for count in np.asarray(n_options).tolist())


def weight_scale(magnitudes: Sequence[float] | FloatArray) -> float:
    """The power of two to divide a party's raw weights by before they are summed.

    Weights may be any finite positive numbers, but ``1e308 + 1e308`` overflows
    to infinity (and every normalised weight would become 0).  Dividing by a
    power of two near the largest weight first keeps the sum finite, and is
    exact in binary floating point, so the normalised weights are the same as
    without it whenever the plain sum does not overflow.
    """
    largest = max((abs(float(m)) for m in magnitudes), default=0.0)
    if not math.isfinite(largest) or largest == 0.0:
        return 1.0
    # 2**(e-1) ≤ largest < 2**e; 2**e itself would overflow for weights near 1.8e308
    return math.ldexp(1.0, math.frexp(largest)[1] - 1)


def compile_scenario(scenario: Scenario, *, rectangles_as_terms: bool = False) -> Space:
    """Compile a validated :class:`~accord.model.Scenario` into a :class:`Space`.

    Parameters
    ----------
    scenario
        The validated scenario.
    rectangles_as_terms
        Compile a GENIUS hyper-rectangle utility into interaction terms where
        that is exact (a ``sum`` of rectangles whose cap never binds:
        :func:`accord.model.terms.rectangle_terms`).  Off by default, because
        the analyses that handle terms do so by enumeration or integer programs
        sized for negotiation texts, not yet for ANAC 2014's 10¹⁰–10⁵⁰ packages;
        off, or when the utility does not map, such a party is refused.

    Raises
    ------
    AnalysisError
        When a party's utility is non-linear and not compiled into terms.
    """
    from accord.model.uncertain import is_uncertain, point_estimate, red_line_chance

    issue_ids = tuple(issue.id for issue in scenario.issues)
    # Guard: a non-additive utility (accord.model.nonlinear) has no additive Space.
    mapped: dict[str, tuple[tuple[tuple[tuple[int, tuple[int, ...]], ...], float], ...]] = {}
    for party_id, prefs in scenario.preferences.items():
        if prefs.nonlinear is not None:
            from accord.errors import AnalysisError
            from accord.model.nonlinear import HyperRectangleUtility, refusal

            if rectangles_as_terms and isinstance(prefs.nonlinear, HyperRectangleUtility):
                from accord.model.terms import rectangle_terms

                terms = rectangle_terms(prefs.nonlinear,
                                        {issue.id: len(issue.options) for issue in scenario.issues},
                                        {issue_id: i for i, issue_id in enumerate(issue_ids)})
                if not isinstance(terms, str):
                    mapped[party_id] = terms
                    continue
                raise AnalysisError(refusal(party_id, prefs.nonlinear)
                                    + f" It does not map onto interaction terms exactly: {terms}.")
            raise AnalysisError(refusal(party_id, prefs.nonlinear))

    option_ids = tuple(tuple(option.id for option in issue.options) for issue in scenario.issues)
    n_options = np.array([len(ids) for ids in option_ids], dtype=np.int64)
    width = int(n_options.max())
    option_mask = np.arange(width)[None, :] < n_options[:, None]

    party_ids = tuple(p.id for p in scenario.parties if p.id in scenario.preferences)
    n_parties, n_issues = len(party_ids), len(issue_ids)
    weights = np.zeros((n_parties, n_issues))
    values = np.zeros((n_parties, n_issues, width))
    red_lines = np.zeros((n_parties, n_issues, width), dtype=bool)
    reservation = np.zeros(n_parties)
    issue_position = {issue_id: i for i, issue_id in enumerate(issue_ids)}
    # dicts, not tuple.index(): an issue may have thousands of options
    option_position = [{option_id: o for o, option_id in enumerate(ids)} for ids in option_ids]
    for p, party_id in enumerate(party_ids):
        prefs = scenario.preferences[party_id]
        # A distribution stands for its mean here (accord.model.uncertain); see `uses_means`.
        reservation[p] = point_estimate(prefs.reservation)
        for issue_id, weight in prefs.weights.items():
            weights[p, issue_position[issue_id]] = point_estimate(weight)
        for issue_id, table in prefs.values.items():
            i = issue_position[issue_id]
            for option_id, value in table.items():
                values[p, i, option_position[i][option_id]] = point_estimate(value)
        for issue_id, options in prefs.red_lines.items():
            i = issue_position[issue_id]
            for entry in options:
                option_id, chance = red_line_chance(entry)
                # A red line with a probability counts when it is the likelier reading.
                if chance >= 0.5:
                    red_lines[p, i, option_position[i][option_id]] = True
        weights[p] /= weight_scale(weights[p])
        total = weights[p].sum()
        if total > 0:
            weights[p] /= total
    contribution = weights[:, :, None] * values
    term_party, term_value, term_conditions, pair_bans = _terms_and_pairs(
        scenario, party_ids, issue_position, option_position, mapped)

    must = set(scenario.must_accept)
    must_accept = np.array([party_id in must for party_id in party_ids], dtype=bool)

    text_ids = tuple(text.id for text in scenario.texts)
    texts = np.full((len(text_ids), n_issues), UNRESOLVED, dtype=np.int64)
    for t, text in enumerate(scenario.texts):
        for issue_id, option_id in text.positions.items():
            i = issue_position[issue_id]
            texts[t, i] = option_position[i][option_id]

    text_position = {text_id: t for t, text_id in enumerate(text_ids)}
    text_parents = np.array(
        [text_position[text.parent] if text.parent is not None else -1 for text in scenario.texts],
        dtype=np.int64,
    )

    for array in (n_options, option_mask, weights, values, contribution, red_lines, reservation,
                  must_accept, texts, text_parents, term_party, term_value, pair_bans):
        array.setflags(write=False)
    additive = None
    if term_value.size or pair_bans.shape[0]:
        additive = AdditiveTables(weights, values, contribution, red_lines)
        weights, values, contribution, red_lines = (
            array.view(AdditivePartOnly) for array in (weights, values, contribution, red_lines))
    return Space(
        party_ids=party_ids,
        issue_ids=issue_ids,
        option_ids=option_ids,
        n_options=n_options,
        option_mask=option_mask,
        weights=weights,
        values=values,
        contribution=contribution,
        red_lines=red_lines,
        reservation=reservation,
        must_accept=must_accept,
        text_ids=text_ids,
        texts=texts,
        text_parents=text_parents,
        uses_means=_has_uncertain_estimates(scenario, is_uncertain),
        term_party=term_party,
        term_value=term_value,
        term_conditions=term_conditions,
        pair_bans=pair_bans,
        _additive=additive,
    )


def _terms_and_pairs(scenario: Scenario, party_ids: tuple[str, ...],
                     issue_position: Mapping[str, int], option_position: Sequence[Mapping[str, int]],
                     mapped: Mapping[str, Sequence[tuple[tuple[tuple[int, tuple[int, ...]], ...], float]]],
                     ) -> tuple[IntArray, FloatArray, tuple[tuple[tuple[int, tuple[int, ...]], ...], ...],
                                IntArray]:
    """The sparse terms and the forbidden pairs of every party (see ``docs/explanation/utility.md``).

    ``requires`` (``a`` of ``i`` only with ``j`` in ``S``) forbids ``a`` with every
    option of ``j`` outside ``S``; ``excludes`` forbids ``a`` with every option in ``S``.
    """
    parties, values, conditions_list = [], [], []
    bans: set[tuple[int, int, int, int, int]] = set()
    n_options = [len(positions) for positions in option_position]
    for p, party_id in enumerate(party_ids):
        prefs = scenario.preferences[party_id]
        for conditions_of, value in mapped.get(party_id, ()):  # hyper-rectangles, exactly
            parties.append(p)
            values.append(float(value))
            conditions_list.append(conditions_of)
        for term in prefs.terms:
            conditions = []
            for issue_id in sorted(term.when, key=lambda k: issue_position[k]):
                i = issue_position[issue_id]
                conditions.append((i, tuple(sorted(option_position[i][o]
                                                   for o in set(term.option_ids(issue_id))))))
            parties.append(p)
            values.append(float(term.value))
            conditions_list.append(tuple(conditions))
        for kind, rules in (("requires", prefs.requires), ("excludes", prefs.excludes)):
            for rule in rules:
                i, j = issue_position[rule.issue], issue_position[rule.with_issue]
                a = option_position[i][rule.option]
                named = {option_position[j][o] for o in rule.with_options}
                banned = named if kind == "excludes" else set(range(n_options[j])) - named
                bans.update((p, i, a, j, b) for b in banned)
    pair_bans = np.array(sorted(bans), dtype=np.int64).reshape(-1, 5)
    return (np.array(parties, dtype=np.int64), np.array(values, dtype=np.float64),
            tuple(conditions_list), pair_bans)


def _has_uncertain_estimates(scenario: Scenario, is_uncertain: Callable[[object], bool]) -> bool:
    for prefs in scenario.preferences.values():
        numbers = [prefs.reservation, *prefs.weights.values(),
                   *(value for table in prefs.values.values() for value in table.values()),
                   *(entry for entries in prefs.red_lines.values() for entry in entries)]
        if any(is_uncertain(number) for number in numbers):
            return True
    return False
