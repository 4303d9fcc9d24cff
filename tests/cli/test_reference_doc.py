"""docs/reference/cli.md documents every command and every option the command line has."""

from __future__ import annotations

from pathlib import Path

from typer.main import get_command

from accord.cli import app

DOC = (Path(__file__).resolve().parents[2] / "docs" / "reference" / "cli.md").read_text(
    encoding="utf-8")


def _leaves(command: object, path: tuple[str, ...] = ()) -> list[tuple[tuple[str, ...], object]]:
    children = getattr(command, "commands", None)
    if not children:
        return [(path, command)]
    return [leaf for name, child in children.items() for leaf in _leaves(child, (*path, name))]


def test_every_command_and_long_option_is_in_the_reference() -> None:
    headings = [line for line in DOC.splitlines() if line.startswith("### ")]
    missing = []
    for path, command in _leaves(get_command(app)):
        if not any(f"`accord {' '.join(path)}" in heading for heading in headings):
            missing.append(" ".join(path))
        for parameter in command.params:  # type: ignore[attr-defined]
            for option in (*parameter.opts, *parameter.secondary_opts):
                if option.startswith("--") and option != "--help" and option not in DOC:
                    missing.append(f"{' '.join(path)} {option}")
    assert not missing, f"not documented in docs/reference/cli.md: {missing}"
