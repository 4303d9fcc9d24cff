"""Generators of valid-but-large and broken-but-large scenario files (TOML text).

Used by tests/model/test_large_inputs.py (which checks how the work grows) and by
benchmarks/bench_validate.py (which prints the times).  Every generator builds
on the same two-party skeleton, so that only the one dimension named grows.
"""

from __future__ import annotations


def _skeleton(issues: str, preferences: str = "", texts: str = "", title: str = "Large") -> str:
    return (f'[scenario]\ntitle = "{title}"\n\n'
            '[[parties]]\nid = "a"\nname = "A"\nrole = "principal"\n\n'
            '[[parties]]\nid = "b"\nname = "B"\nrole = "principal"\n\n'
            f"{issues}\n{preferences}\n{texts}")


def _two_option_issues(n: int) -> tuple[str, str]:
    issues = "".join(f'[[issues]]\nid = "i{k}"\ntitle = "Issue {k}"\n'
                     f'options = [{{ id = "x", label = "X" }}, {{ id = "y", label = "Y" }}]\n\n'
                     for k in range(n))
    preferences = ""
    for party, (vx, vy) in (("a", (1.0, 0.0)), ("b", (0.0, 1.0))):
        weights = "".join(f"i{k} = {1 + k % 3}\n" for k in range(n))
        values = "".join(f"[preferences.{party}.values.i{k}]\nx = {vx}\ny = {vy}\n" for k in range(n))
        preferences += f"[preferences.{party}]\nreservation = 0.1\n" \
                       f"[preferences.{party}.weights]\n{weights}{values}\n"
    return issues, preferences


def many_issues(n: int, *, with_text: bool = True) -> str:
    """A valid scenario with ``n`` two-option issues (2**n packages) and one text on all of them."""
    issues, preferences = _two_option_issues(n)
    positions = "".join(f'i{k} = "{"xy"[k % 2]}"\n' for k in range(n))
    text = f'[[texts]]\nid = "t0"\ntitle = "Draft"\n[texts.positions]\n{positions}' if with_text else ""
    return _skeleton(issues, preferences, text)


def parent_chain(n: int, *, cycle: bool = False) -> str:
    """``n`` texts, each revising the one before (the first revises the last when ``cycle``)."""
    issues, preferences = _two_option_issues(1)
    texts = "".join(
        f'[[texts]]\nid = "t{k}"\ntitle = "Text {k}"\n'
        + (f'parent = "t{k - 1}"\n' if k else (f'parent = "t{n - 1}"\n' if cycle else ""))
        + '[texts.positions]\ni0 = "x"\n\n'
        for k in range(n))
    return _skeleton(issues, preferences, texts)


def _wide_issue(n: int, value_id: str) -> str:
    options = ",\n".join(f'  {{ id = "option-{k:05d}", label = "Option {k}" }}' for k in range(n))
    issues = f'[[issues]]\nid = "wide"\ntitle = "Wide"\noptions = [\n{options}\n]\n\n'
    preferences = ""
    for party in ("a", "b"):
        values = "".join(f"{value_id.format(k=k)} = {(k % 100) / 100}\n" for k in range(n))
        preferences += (f"[preferences.{party}]\n[preferences.{party}.weights]\nwide = 1\n"
                        f"[preferences.{party}.values.wide]\n{values}\n")
    return _skeleton(issues, preferences)


def many_options(n: int) -> str:
    """A valid scenario with one issue of ``n`` options, each valued by both parties."""
    return _wide_issue(n, "option-{k:05d}")


def misspelt_references(n: int) -> str:
    """One issue of ``n`` options whose values are all given under misspelt ids (2n problems)."""
    return _wide_issue(n, "optoin-{k:05d}")


def huge_title(n_bytes: int) -> str:
    """A valid scenario whose title is ``n_bytes`` long."""
    issues, preferences = _two_option_issues(1)
    return _skeleton(issues, preferences, title="T" * n_bytes)
