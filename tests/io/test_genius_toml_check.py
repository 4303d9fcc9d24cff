"""A non-linear GENIUS domain imported to TOML passes `accord check`; analyses say what is out of reach.

The 10-issue ANAC 2014 profiles are sums of rectangles whose cap never binds,
so they compile to interaction terms; their 10¹⁰ packages are beyond the
enumeration frontier, and the refusal names that limit.  In the 30-issue ones
the cap binds, and the refusal says so.
"""

from __future__ import annotations

from pathlib import Path

from tests.cli.helpers import run_cli


def test_imported_hyperrectangle_domain_checks_and_names_the_frontier_limit(
        genius_data: Path, tmp_path: Path) -> None:
    target = tmp_path / "ten.toml"
    imported = run_cli("import", "genius", genius_data / "anac" / "y2014" / "10issues", "-o", target)
    assert imported.code == 0, imported.stderr
    assert run_cli("check", target).code == 0
    refused = run_cli("frontier", target)
    assert refused.code == 2 and "Traceback" not in refused.stderr
    assert "up to 200,000 packages" in refused.stderr and "10,000,000,000" in refused.stderr
    assert "--epsilon" not in refused.stderr   # the term frontier has no ε mode to suggest
    chance = run_cli("chance", target, "--any-package")
    assert chance.code == 2 and "up to 20,000 packages" in chance.stderr


def test_a_binding_cap_is_refused_with_its_reason(genius_data: Path) -> None:
    refused = run_cli("solve", genius_data / "anac" / "y2014" / "30issues")
    assert refused.code == 2 and "Traceback" not in refused.stderr
    assert "non-linear (hyper-rectangle) utility" in refused.stderr
    assert "cap binds" in refused.stderr
