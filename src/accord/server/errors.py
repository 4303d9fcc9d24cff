"""The service's error answers: one JSON shape for every 4xx, built from the library's :class:`Problem`.

Every error body is ``{"error": MESSAGE, "problems": [{"path": …, "message": …}]}``
(``problems`` names each field that is wrong and what is expected, exactly as
the scenario files report it), plus ``current`` on a 409 for a stale write.
Unexpected exceptions become a 500 that names no internals; the test suite's
schemathesis run asserts that none happens.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from accord.errors import Problem, ScenarioError

__all__ = ["ApiError", "problems_body"]


class ApiError(Exception):
    """A client's mistake: an HTTP status, one sentence, and the problems behind it."""

    def __init__(
        self,
        status: int,
        message: str,
        problems: Iterable[Problem | Mapping[str, str]] = (),
        *,
        headers: Mapping[str, str] | None = None,
        current: Any = None,
    ) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.problems = [_problem_dict(p) for p in problems]
        self.headers = dict(headers or {})
        self.current = current

    @classmethod
    def from_scenario_error(
        cls, error: ScenarioError, *, status: int = 422, message: str = "the request is not valid"
    ) -> ApiError:
        return cls(status, message, error.problems)

    def body(self) -> dict[str, Any]:
        body: dict[str, Any] = {"error": self.message, "problems": self.problems}
        if self.current is not None:
            body["current"] = self.current
        return body


def _problem_dict(problem: Problem | Mapping[str, str]) -> dict[str, str]:
    if isinstance(problem, Problem):
        return {"path": problem.path, "message": problem.message}
    return {"path": str(problem.get("path", "")), "message": str(problem.get("message", ""))}


def problems_body(message: str, problems: Iterable[Problem | Mapping[str, str]] = ()) -> dict[str, Any]:
    return {"error": message, "problems": [_problem_dict(p) for p in problems]}


# Short names for the statuses the routes raise, so that a route reads as its rule.


def bad_request(message: str, problems: Iterable[Problem | Mapping[str, str]] = ()) -> ApiError:
    return ApiError(400, message, problems)


def unprocessable(message: str, problems: Iterable[Problem | Mapping[str, str]] = ()) -> ApiError:
    return ApiError(422, message, problems)


def not_found(what: str = "not found") -> ApiError:
    return ApiError(404, what)


def forbidden(message: str) -> ApiError:
    return ApiError(403, message)


def conflict(
    message: str, current: Any = None, problems: Iterable[Problem | Mapping[str, str]] = ()
) -> ApiError:
    return ApiError(409, message, problems, current=current)


def unauthorized(
    message: str = "log in first (a session cookie or an Authorization: Bearer token)",
) -> ApiError:
    return ApiError(401, message)
