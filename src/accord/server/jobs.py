"""Analytics off the request path: computed once per input, cached in the database, announced when ready.

The input of an analysis is a scenario document (the library's JSON form)
built from exactly what that analysis may use (:mod:`accord.server.access`);
its SHA-256 is the cache key, so a result is reused for as long as nothing it
depends on changes, by every worker process.  The functions that compute are
pure (document in, JSON out) so that they can run on a Dask cluster
(``accord serve --scheduler tcp://…``) as well as in a thread of the web
process.

The mediators' bundle runs the library's analyses — evaluation of every text
for every party, diffs along the lineage, feasibility (max–min margin), the
exact frontier and the four bargaining solutions, the smallest amendment of the
current text, deal chances when estimates are ranges, and after an agreement
the efficient Pareto improvements of it — and converts each result with the
library's own JSON converters.  What a mediator may see of it is decided when
it is read (:func:`accord.server.access.redact_bundle`).
"""

from __future__ import annotations

import contextlib
import hashlib
import logging
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Mapping
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any

from accord.server.audit import canonical

__all__ = ["JobRunner", "QueueFull", "delegate_bundle", "input_key", "mediator_bundle"]

log = logging.getLogger("accord.server.jobs")

MEDIATOR_KIND = "mediator"
#: Bumped when the bundle's contents change, so that old cached results are not served.
BUNDLE_FORMAT = 1


def input_key(document: Mapping[str, Any], params: Mapping[str, Any]) -> str:
    return hashlib.sha256(
        canonical({"document": document, "params": params, "format": BUNDLE_FORMAT}).encode()
    ).hexdigest()


# -- pure computations -------------------------------------------------------------------


def _scenario(document: Mapping[str, Any]) -> Any:
    from accord.model.validate import scenario_from_document

    return scenario_from_document(document, "analysis input")


def mediator_bundle(document: Mapping[str, Any], params: Mapping[str, Any]) -> dict[str, Any]:
    """Every analysis of the mediators' profile, as the library's JSON forms (not yet redacted)."""
    from accord.analysis.amend import amend
    from accord.analysis.bargaining import bargaining_solutions
    from accord.analysis.diff import diff_texts
    from accord.analysis.evaluate import evaluate_texts
    from accord.analysis.feasibility import feasibility
    from accord.analysis.improve import improve
    from accord.analysis.pareto import FrontierTooLarge
    from accord.errors import AccordError
    from accord.report.analysis_json import (
        amendment_to_dict,
        feasibility_to_dict,
        frontier_to_dict,
        improvement_to_dict,
        solutions_to_dict,
    )
    from accord.space import compile_scenario
    from accord.views.labels import Labels
    from accord.views.texts import diff_to_dict, evaluation_to_dict

    started = time.perf_counter()
    bundle: dict[str, Any] = {"status": "ready", "notes": []}
    scenario = _scenario(document)
    try:
        space = compile_scenario(scenario)
    except AccordError as error:
        return {"status": "unavailable", "error": str(error), "error_party": _party_in(error, scenario)}
    labels = Labels(scenario, space)
    if space.n_parties == 0 or not space.must_accept.any():
        return {
            "status": "unavailable",
            "error": "no party that must accept has preferences the analysis may use yet",
        }
    current = len(space.text_ids) - 1 if space.text_ids else None
    bundle["text"] = None if current is None else space.text_ids[current]
    bundle["evaluation"] = [evaluation_to_dict(e, labels) for e in evaluate_texts(space)]
    bundle["diffs"] = [
        diff_to_dict(diff_texts(space, int(space.text_parents[t]), t), labels)
        for t in range(len(space.text_ids))
        if space.text_parents[t] >= 0
    ]
    reference = None if current is None else space.texts[current]
    feasible = feasibility(space, reference=reference)
    bundle["feasibility"] = feasibility_to_dict(feasible, labels)
    try:
        solutions = bargaining_solutions(space)
        bundle["solutions"] = solutions_to_dict(solutions, labels, text=current)
        bundle["frontier"] = frontier_to_dict(solutions.frontier, labels)
    except FrontierTooLarge as error:
        bundle["solutions"] = bundle["frontier"] = None
        bundle["notes"].append(f"frontier: {error}")
    bundle["amendment"] = None if current is None else amendment_to_dict(amend(space, current), labels)
    agreed = params.get("agreement")
    bundle["improvement"] = None
    if isinstance(agreed, Mapping):
        package = space.package(dict(agreed))
        bundle["improvement"] = improvement_to_dict(
            improve(space, package, k=int(params.get("k", 5))), labels
        )
    bundle["chances"] = None
    if space.uses_means and space.text_ids:
        from accord.analysis.uncertainty import build_model, deal_chances
        from accord.views.chance import to_dict

        chances = deal_chances(
            build_model(scenario, space),
            samples=int(params.get("samples", 20_000)),
            seed=int(params.get("seed", 0)),
        )
        bundle["chances"] = to_dict(chances, labels)
        bundle["notes"].append(
            "estimates given as ranges are used at their means in every analysis "
            "but `chances`, which samples them"
        )
    bundle["seconds"] = round(time.perf_counter() - started, 4)
    return bundle


def _party_in(error: Exception, scenario: Any) -> str | None:
    """Which party an analysis refusal is about (so that it can be redacted for those who may not know)."""
    message = str(error)
    for party in scenario.preferences:
        if repr(party) in message or f"party {party}" in message:
            return str(party)
    return None


def delegate_bundle(document: Mapping[str, Any], party: str) -> dict[str, Any]:
    """A delegate's own view: its utility, verdict and blockers for every text, from its own preferences."""
    from accord.analysis.evaluate import evaluate_texts
    from accord.errors import AccordError
    from accord.space import compile_scenario
    from accord.views.labels import Labels
    from accord.views.texts import evaluation_to_dict

    scenario = _scenario(document)
    try:
        space = compile_scenario(scenario)
    except AccordError as error:
        return {"status": "unavailable", "party": party, "error": str(error)}
    labels = Labels(scenario, space)
    texts = []
    for evaluation in evaluate_texts(space):
        entry = evaluation_to_dict(evaluation, labels)
        verdict = entry["parties"].get(party)
        # "deal" would be this party's own verdict under another name: left out, not to be misread.
        texts.append(
            {
                "id": entry["id"],
                "title": entry["title"],
                "open_points": entry["open_points"],
                "verdict": verdict,
            }
        )
    return {"status": "ready", "party": party, "texts": texts}


# -- the runner ---------------------------------------------------------------------------


class QueueFull(Exception):
    """Too many analyses are waiting already: the caller should try again later."""


@dataclass
class _Job:
    negotiation_id: str
    key: str
    document: dict[str, Any]
    params: dict[str, Any]
    future: Future[dict[str, Any]]


class JobRunner:
    """Runs analyses in a thread pool (or on Dask), one computation per key at a time, in bounded work.

    Each negotiation has at most one analysis *waiting*: a newer input (a new version, revised
    preferences) replaces the waiting one, whose result no one needs any more, so a party
    revising its preferences in a loop costs at most one analysis at a time.  At most
    ``max_queued`` analyses wait, all negotiations together; past that :meth:`submit` raises
    :class:`QueueFull`.  ``store`` saves a finished result (in the database); ``announce``
    tells viewers it is ready.  Both run in the worker thread.
    """

    def __init__(
        self,
        *,
        threads: int = 1,
        scheduler: str | None = None,
        store: Callable[[str, str, str, dict[str, Any], float], None] | None = None,
        announce: Callable[[str], None] | None = None,
        max_queued: int = 32,
    ) -> None:
        self._executor = ThreadPoolExecutor(max_workers=threads, thread_name_prefix="accord-analysis")
        self._scheduler = scheduler
        self._client: Any = None
        self._store = store
        self._announce = announce
        self._max_queued = max_queued
        self._lock = threading.Lock()
        self._inflight: dict[str, Future[dict[str, Any]]] = {}
        #: The waiting analysis of each negotiation, oldest first.
        self._waiting: OrderedDict[str, _Job] = OrderedDict()
        self.completed = 0
        self.superseded = 0

    def submit(
        self, negotiation_id: str, key: str, document: Mapping[str, Any], params: Mapping[str, Any]
    ) -> Future[dict[str, Any]]:
        with self._lock:
            running = self._inflight.get(key)
            if running is not None:
                return running
            future: Future[dict[str, Any]] = Future()
            job = _Job(negotiation_id, key, dict(document), dict(params), future)
            old = self._waiting.pop(negotiation_id, None)
            if old is not None:
                # Superseded before it started: its waiters are told so (and ask again).
                self._inflight.pop(old.key, None)
                old.future.cancel()
                self.superseded += 1
                self._waiting[negotiation_id] = job  # takes its place: no new task is needed
            else:
                if len(self._waiting) >= self._max_queued:
                    raise QueueFull(f"{len(self._waiting)} analyses are waiting already")
                self._waiting[negotiation_id] = job
                self._executor.submit(self._next)
            self._inflight[key] = future
        return future

    def running(self, key: str) -> Future[dict[str, Any]] | None:
        with self._lock:
            return self._inflight.get(key)

    def waiting(self) -> int:
        with self._lock:
            return len(self._waiting)

    def _next(self) -> None:
        with self._lock:
            if not self._waiting:
                return
            _, job = self._waiting.popitem(last=False)
        if not job.future.set_running_or_notify_cancel():
            return
        try:
            job.future.set_result(self._run(job.negotiation_id, job.key, job.document, job.params))
        except Exception as error:  # _run catches the analysis' own errors; this is a last guard
            job.future.set_exception(error)

    def _run(
        self, negotiation_id: str, key: str, document: dict[str, Any], params: dict[str, Any]
    ) -> dict[str, Any]:
        started = time.perf_counter()
        try:
            if self._scheduler:
                result = self._dask().submit(mediator_bundle, document, params, pure=False).result()
            else:
                result = mediator_bundle(document, params)
        except Exception as error:  # a failed analysis is a result to show, not a crash
            log.exception("analysis failed")
            result = {"status": "failed", "error": f"{type(error).__name__}: {error}"}
        seconds = time.perf_counter() - started
        try:
            if self._store is not None:
                self._store(negotiation_id, key, MEDIATOR_KIND, result, seconds)
            if self._announce is not None:
                self._announce(negotiation_id)
        except Exception:
            log.exception("storing an analysis failed")
        finally:
            with self._lock:
                self._inflight.pop(key, None)
                self.completed += 1
        return result

    def _dask(self) -> Any:
        with self._lock:
            if self._client is None:
                from distributed import Client

                self._client = Client(self._scheduler, timeout=10)
            return self._client

    def shutdown(self) -> None:
        # Waits for a running analysis (it would otherwise reach a database being closed).
        with self._lock:
            waiting, self._waiting = list(self._waiting.values()), OrderedDict()
        for job in waiting:
            job.future.cancel()
        self._executor.shutdown(wait=True, cancel_futures=True)
        if self._client is not None:
            with contextlib.suppress(Exception):  # closing a dead connection
                self._client.close()


class LRU:
    """A small thread-safe least-recently-used cache (per process)."""

    def __init__(self, size: int = 256) -> None:
        self._size = size
        self._data: OrderedDict[Any, Any] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: Any) -> Any:
        with self._lock:
            if key not in self._data:
                return None
            self._data.move_to_end(key)
            return self._data[key]

    def put(self, key: Any, value: Any) -> None:
        with self._lock:
            self._data[key] = value
            self._data.move_to_end(key)
            while len(self._data) > self._size:
                self._data.popitem(last=False)
