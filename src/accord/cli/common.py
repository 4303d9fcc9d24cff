"""What every command shares: opening inputs, printing JSON, and turning errors into exit codes.

Exit status (the contract documented in ``docs/reference/cli.md``):

* 0 — success;
* 1 — the analysis answered "no" to a command asked to check (``evaluate --check``, …);
* 2 — bad input or usage: a malformed file, an unknown id, a bad option;
* 3 — an internal error (a bug): one line on stderr, the traceback with ``ACCORD_DEBUG=1``.
"""

from __future__ import annotations

import contextlib
import functools
import json
import math
import os
import sys
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any, ParamSpec, TypeVar

import typer

from accord.errors import UnknownIdError

if TYPE_CHECKING:
    from rich.console import Console

    from accord.model import Scenario
    from accord.space import Space

EXIT_OK = 0
EXIT_NO = 1
EXIT_BAD_INPUT = 2
EXIT_INTERNAL = 3

P = ParamSpec("P")
R = TypeVar("R")


def console() -> Console:
    """The console for results on stdout: user text is printed as text (see :func:`safe_console`)."""
    return safe_console(soft_wrap=False)


def error_console() -> Console:
    return safe_console(stderr=True, soft_wrap=True)


def safe_console(**options: Any) -> Console:
    """A rich console that prints every string as text: no markup, no emoji codes, no raw controls.

    Strings are never parsed as markup (a title such as ``[/oops]`` is shown as
    written), and before anything is laid out each string and :class:`~rich.text.Text`
    has its control codes, BiDi overrides and lone surrogates escaped by
    :func:`accord.views.safe.printable`; a last pass over the rendered segments
    catches anything a renderable kept to itself.  Styles and rich's own cursor
    codes (progress bars) are untouched.
    """
    from rich.console import Console
    from rich.segment import Segment

    from accord.views.safe import UNSAFE, printable

    class SafeConsole(Console):
        def render_str(self, text: str, **kwargs: Any) -> Any:
            return super().render_str(printable(text), **kwargs)

        def print(self, *objects: Any, **kwargs: Any) -> None:
            for item in objects:
                _escape_texts(item)
            super().print(*objects, **kwargs)

        def rule(self, title: Any = "", **kwargs: Any) -> None:
            _escape_texts(title)
            super().rule(title, **kwargs)

        def on_broken_pipe(self) -> None:
            # rich would exit with 1, which here means "the analysis said no".
            self.quiet = True
            raise BrokenPipeError

        def render(self, renderable: Any, options: Any = None) -> Any:
            for segment in super().render(renderable, options):
                if not segment.control and UNSAFE.search(segment.text):
                    segment = Segment(printable(segment.text), segment.style, segment.control)
                yield segment

    options = {"highlight": False, "markup": False, "emoji": False, **options}
    return SafeConsole(**options)


def _escape_texts(renderable: Any, depth: int = 0) -> None:
    """Escape, in place, the user text of the rich objects accord prints (Text, Group, Table).

    Done before layout, so column widths count the escapes; the spans of a Text
    are moved with its characters.
    """
    from rich.console import Group
    from rich.table import Table
    from rich.text import Text

    if depth > 50:
        return
    if isinstance(renderable, Text):
        _escape_text(renderable)
    elif isinstance(renderable, Group):
        for child in renderable.renderables:
            _escape_texts(child, depth + 1)
    elif isinstance(renderable, Table):
        for caption in (renderable.title, renderable.caption):
            _escape_texts(caption, depth + 1)
        for column in renderable.columns:
            for child in (column.header, column.footer, *column.cells):
                _escape_texts(child, depth + 1)


def _escape_text(text: Any) -> None:
    from rich.text import Span

    from accord.views.safe import UNSAFE, printable

    plain = text.plain
    if not UNSAFE.search(plain):
        return
    # new_offset[i]: where the character at i of the old text starts in the new one.
    new_offset = [0]
    for character in plain:
        new_offset.append(new_offset[-1] + len(printable(character)))
    spans = [Span(new_offset[span.start], new_offset[min(span.end, len(plain))], span.style)
             for span in text.spans]
    text.plain = printable(plain)
    text.spans = spans


class BadInput(Exception):
    """A usage problem found by a command (unknown text id, bad option value): exit 2.

    ``file`` (the input it is about) and ``place`` (the option, or a key path) go into
    the ``--json`` error object; the message says them in words already.
    """

    def __init__(self, message: str, *, file: Path | str | None = None,
                 place: str | None = None) -> None:
        super().__init__(message)
        self.file = None if file is None else str(file)
        self.place = place


def handles_errors(command: Callable[P, R]) -> Callable[P, R]:
    """Map accord's errors to the exit-status contract, with one clear message and no traceback."""

    @functools.wraps(command)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        from accord.errors import AccordError, ScenarioError

        as_json = kwargs.get("json") is True
        try:
            return command(*args, **kwargs)
        except (typer.Exit, typer.Abort, SystemExit):
            raise
        except ScenarioError as error:
            for problem in error.problems:
                _stderr(f"error: {problem}")
            if len(error.problems) > 1:
                _stderr(f"{len(error.problems)} problems found.")
            if as_json:
                print_json_error(str(error.problems[0].message), file=error.problems[0].file,
                                 place=error.problems[0].path,
                                 **({"problems": [p.as_dict() for p in error.problems]}
                                    if len(error.problems) > 1 else {}))
            raise typer.Exit(EXIT_BAD_INPUT) from None
        except (BadInput, FileExistsError, AccordError) as error:
            _stderr(f"error: {error}")
            if as_json:
                print_json_error(str(error), file=getattr(error, "file", None),
                                 place=getattr(error, "place", None))
            raise typer.Exit(EXIT_BAD_INPUT) from None
        except KeyboardInterrupt:
            _stderr("interrupted")
            raise typer.Exit(130) from None
        except BrokenPipeError:
            # The reader went away (`accord … | head`): stop quietly, as a SIGPIPE would.
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, sys.stdout.fileno())
            raise typer.Exit(141) from None
        except (MemoryError, RecursionError) as error:
            # An input too large or too deeply nested for this machine is the input's
            # problem, not a bug: say which input, and exit 2.
            what = ("too large to process in the memory available" if isinstance(error, MemoryError)
                    else "nested too deeply to process")
            message = f"{_input_named(kwargs)}{what}; simplify the input or ask for less work"
            _stderr(f"error: {message}")
            if as_json:
                print_json_error(message)
            raise typer.Exit(EXIT_BAD_INPUT) from None
        except Exception as error:
            if os.environ.get("ACCORD_DEBUG"):
                raise
            message = (f"internal error: {type(error).__name__}: {error} "
                       "(this is a bug; rerun with ACCORD_DEBUG=1 for the traceback)")
            _stderr(message)
            if as_json:
                print_json_error(message, internal=True)
            raise typer.Exit(EXIT_INTERNAL) from None

    return wrapper


def print_json_error(message: str, *, file: str | None = None, place: str | None = None,
                     **extra: Any) -> None:
    """With ``--json``, an error is a JSON object on stdout too, so that a script can read it.

    ``{"error": {"message": …, "file": …, "place": …}}`` — ``file`` and ``place``
    are ``null`` when the error is not about a place in a file; a scenario error
    with several problems lists them all under ``problems``.  The message still
    goes to stderr for a person watching.
    """
    body: dict[str, Any] = {"message": message, "file": file or None, "place": place or None}
    body.update(extra)
    with contextlib.suppress(BrokenPipeError):  # the reader went away: nothing to tell it
        print_json({"error": body})


def _input_named(arguments: dict[str, Any]) -> str:
    """``"FILE: "`` for the command's input file, when it has one."""
    for name in ("file", "config", "article", "source"):
        value = arguments.get(name)
        if isinstance(value, Path):
            return f"{value}: the input is "
    return "the input is "


def stderr_is_terminal() -> bool:
    """Whether a person is watching stderr (progress and "this takes a while" notes go there)."""
    return sys.stderr.isatty()


def note_to_terminal(message: str) -> None:
    """One line on stderr when it is a terminal; nothing in a pipe or a log, which keep only
    results and errors."""
    if stderr_is_terminal():
        _stderr(message)


def _stderr(message: str) -> None:
    """One message line on stderr, with the user's text in it shown as text."""
    from accord.views.safe import printable

    print(printable(message, one_line=True), file=sys.stderr)


def open_scenario(path: Path) -> Scenario:
    """Load a scenario file, or a GENIUS domain folder (a folder holding .xml files)."""
    if path.is_dir():
        from accord.errors import ScenarioError

        suffixes = {child.suffix.lower() for child in path.iterdir() if child.is_file()}
        # GENIUS (.xml) and GeniusWeb (.json) domain folders are read as scenarios; a folder
        # with a .toml in it is a scenario's own folder (its file and notes).
        genius_web = ".json" in suffixes and ".toml" not in suffixes
        if ".xml" not in suffixes and not genius_web:
            # A scenario folder (like examples/peace-plan-2025/) holds its file and notes.
            inside = sorted(child.name for child in path.iterdir()
                            if child.suffix.lower() in {".toml", ".json"} and child.is_file())
            hint = f" — did you mean {path / inside[0]}?" if len(inside) == 1 else (
                f" — it holds {', '.join(inside[:5])}: give one of them" if inside else "")
            raise ScenarioError.single(
                str(path), "", "is a directory without GENIUS .xml files; expected a scenario file "
                               "(.toml or .json) or a GENIUS domain folder" + hint)
        from accord.io.genius import load_folder

        return load_folder(path)
    from accord.io.scenario_file import load

    return load(path)


def open_space(path: Path) -> tuple[Scenario, Space]:
    from accord.space import compile_scenario

    scenario = open_scenario(path)
    return scenario, compile_scenario(scenario, rectangles_as_terms=True)


def text_indices(scenario: Scenario, ids: list[str] | None, *, option: str = "--text",
                 file: Path | str | None = None) -> list[int] | None:
    """Indices of the given text ids (None = all), with a "did you mean" for a misspelt id.

    ``ids`` are read by :func:`many` (repeated or comma-separated).
    """
    known = [t.id for t in scenario.texts]
    found = many(ids, known)
    if not found:
        return None
    unknown_check(found, known, kind="text", place=option, file=file)
    return [known.index(text_id) for text_id in found]


def party_ids(space: Space, given: list[str] | None, *, option: str = "--parties",
              file: Path | str | None = None, scenario: Scenario | None = None) -> list[str] | None:
    """The party ids of a multi-valued party option (``None`` when it was not given).

    Unknown ids get a "did you mean"; a party of the scenario that has no
    preferences (so no utilities) is named as such; a party listed twice is refused.
    """
    found = many(given, space.party_ids)
    if given is not None and not found:
        raise BadInput(f"{option} needs at least one party id", place=option)
    if not found:
        return None
    everyone = [p.id for p in scenario.parties] if scenario is not None else list(space.party_ids)
    unknown_check(found, everyone, kind="party", place=option, file=file)
    for party_id in found:
        if party_id not in space.party_ids:
            raise BadInput(f"{option}: party {party_id!r} has no preferences in this scenario, so "
                           f"it has no utilities; the parties with preferences are: "
                           f"{', '.join(space.party_ids)}", file=file, place=option)
    twice = sorted({p for p in found if found.count(p) > 1})
    if twice:
        raise BadInput(f"{option}: party {twice[0]!r} is listed twice", place=option)
    return found


def print_json(data: Any) -> None:
    """Print ``data`` as JSON on stdout (non-finite floats become null)."""
    print_document(json.dumps(_finite(data), indent=2, ensure_ascii=False))


def print_document(document: str, *, end: str = "\n") -> None:
    """Print a JSON document on stdout, its controls, BiDi overrides and lone surrogates escaped."""
    from accord.views.safe import json_safe

    sys.stdout.write(json_safe(document) + end)


def _finite(value: Any) -> Any:
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, dict):
        return {k: _finite(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_finite(v) for v in value]
    return value


# -- limits on the amount of work an option asks for (docs/reference/cli.md, "Limits") ------

#: Worker processes (`tournament --workers`, `serve --workers`): four per core, at most 64;
#: more only contend for the cores (1,000,000 once started 2,177 processes before failing).
MAX_WORKERS = min(64, 4 * (os.cpu_count() or 1))


def bounded(default: Any, *names: str, low: int, high: int, help: str) -> Any:
    """A whole-number option that refuses values outside ``low``..``high`` (exit 2).

    The range is declared here, next to the option, stated in its help, and
    named in the message: ``Invalid value for '--samples' / '-n': expected 1 to
    10,000,000, got 0``.
    """

    def check(value: int | None) -> int | None:
        if value is not None and not low <= value <= high:
            raise typer.BadParameter(f"expected {low:,} to {high:,}, got {value:,}")
        return value

    return typer.Option(default, *names, callback=check,
                        help=f"{help} Range: {low:,} to {high:,}.")


def bounded_float(default: Any, *names: str, above: float, high: float, help: str) -> Any:
    """A number option that must be finite, greater than ``above`` and at most ``high`` (exit 2)."""

    def check(value: float | None) -> float | None:
        if value is not None and not (math.isfinite(value) and above < value <= high):
            raise typer.BadParameter(f"expected a number greater than {above:g} and at most "
                                     f"{high:g}, got {value:g}")
        return value

    return typer.Option(default, *names, callback=check,
                        help=f"{help} Range: greater than {above:g}, at most {high:g}.")


def seed_option(help: str) -> Any:
    from accord.protocols.limits import SEED_MAX

    return bounded(0, "--seed", low=0, high=SEED_MAX, help=help)


def many(values: list[str] | None, known: Iterable[str] = ()) -> list[str] | None:
    """The values of a multi-valued option: repeated (``-p ua -p ru``), comma-separated
    (``-p ua,ru``) or both; ``None`` when the option was not given.

    Every command that takes several parties, texts or kinds reads them through
    this, so that one convention holds everywhere.  An id in ``known`` that
    itself contains a comma (a GENIUS party named ``"Smith, J."``) is kept whole:
    the longest run of comma-separated pieces that spells a known id wins.

    >>> many(["ua,ru", " eu ", "us,"])
    ['ua', 'ru', 'eu', 'us']
    >>> many(["a,b,c"], known=["b,c"])
    ['a', 'b,c']
    >>> many(None) is None
    True
    """
    if not values:
        return None
    known = set(known)
    found: list[str] = []
    for value in values:
        if value.strip() in known:
            found.append(value.strip())
            continue
        pieces = value.split(",")
        start = 0
        while start < len(pieces):
            end = next((end for end in range(len(pieces), start + 1, -1)
                        if ",".join(pieces[start:end]).strip() in known), start + 1)
            found.append(",".join(pieces[start:end]).strip())
            start = end
    return [part for part in found if part] or None


def many_option(*names: str, help: str, metavar: str = "ID[,ID…]") -> Any:
    """A multi-valued option read by :func:`many` (repeat it, or separate values with commas)."""
    return typer.Option(None, *names, help=f"{help} Repeat the option or separate values with commas.",
                        show_default=False, metavar=metavar)


def one_option(*names: str, help: str, metavar: str = "ID") -> Any:
    """An option that takes one id, read by :func:`one_value`.

    It is declared like a multi-valued one so that ``--text a,b`` or a repeated
    ``--text`` gets a sentence saying it takes one, instead of click's silent
    "last one wins".
    """
    return typer.Option(None, *names, help=help, show_default=False, metavar=metavar)


def one_value(values: list[str] | str | None, option: str, known: Iterable[str] = ()) -> str | None:
    """The single value of an option that takes one (``None`` when it was not given).

    >>> one_value(["plan-20"], "--text")
    'plan-20'
    >>> one_value(["a,b"], "--text")
    Traceback (most recent call last):
    ...
    accord.cli.common.BadInput: --text takes one id, got 2: a, b
    """
    if isinstance(values, str):
        values = [values]
    found = many(values, known)
    if not found:
        return None
    if len(found) > 1:
        raise BadInput(f"{option} takes one id, got {len(found)}: {', '.join(found)}",
                       place=option)
    return found[0]


class UnknownOptionId(UnknownIdError):
    """An id given on the command line that names nothing in the input (exit 2).

    It says which input (``file``) and which option (``place``) it was given to,
    so that ``--json`` can report both.
    """

    def __init__(self, kind: str, key: str, known: Iterable[str], *, file: str | None,
                 place: str) -> None:
        from accord.model.suggest import closest

        known = tuple(known)
        super().__init__(kind, key, known, suggestion=closest(key, known))
        self.file = file
        self.place = place
        self.message = f"{file + ': ' if file else ''}{place}: {self.message}"
        self.args = (self.message,)


def unknown_check(given: Iterable[str], known: Iterable[str], *, kind: str, place: str,
                  file: Path | str | None = None) -> list[str]:
    """``given``, each checked against ``known``; the first unknown one raises
    :class:`UnknownOptionId` (a :class:`~accord.errors.UnknownIdError`) with a "did you mean".

    >>> unknown_check(["ua"], ["ua", "ru"], kind="party", place="--parties")
    ['ua']
    >>> try:
    ...     unknown_check(["rus"], ["ua", "ru"], kind="party", place="--parties", file="x.toml")
    ... except UnknownIdError as error:
    ...     print(error)
    x.toml: --parties: unknown party 'rus' (did you mean 'ru'?); known: ua, ru
    """
    known = list(known)
    given = list(given)
    for value in given:
        if value not in known:
            raise UnknownOptionId(kind, value, known, file=None if file is None else str(file),
                                  place=place)
    return given


def choice(value: str, allowed: Iterable[str], option: str) -> str:
    """``value`` if it is one of ``allowed`` (an enum-like option); otherwise bad input with a
    "did you mean".

    >>> choice("sobol", ("tornado", "sobol"), "--method")
    'sobol'
    >>> choice("sobl", ("tornado", "sobol"), "--method")
    Traceback (most recent call last):
    ...
    accord.cli.common.BadInput: --method: 'sobl' is not one of tornado, sobol (did you mean 'sobol'?)
    """
    allowed = tuple(allowed)
    if value not in allowed:
        from accord.model.suggest import did_you_mean

        raise BadInput(f"{option}: {value!r} is not one of {', '.join(allowed)}"
                       f"{did_you_mean(value, allowed)}", place=option)
    return value


def refuse_existing(path: Path, option: str | None = None) -> None:
    """Refuse to replace a user's file, in the one wording of :mod:`accord.io.files` (exit 2).

    ``option`` is the option that named the file; with ``--json`` it is the error's place.
    """
    from accord.errors import OutputExists

    raise OutputExists.single(str(path), option or "",
                              "already exists; pass --force to replace it, or choose another name")


#: ``--force``: replace an output file that already exists (without it, accord refuses).
ForceFlag = typer.Option(False, "--force", help="Replace the output file if it already exists.")


def check_plot_path(path: Path | None, *, force: bool = False, option: str = "--plot") -> None:
    """Reject a bad chart path (given as ``option``) before any work is done (exit status 2)."""
    if path is None:
        return
    if path.is_dir():
        raise BadInput(f"{path}: is a folder; give {option} a file name ending in .png or .svg")
    if path.suffix.lower() not in (".png", ".svg"):
        raise BadInput(f"{path}: {option} needs a file name ending in .png or .svg, "
                       f"not {path.suffix or 'no suffix'!r}")
    if not path.parent.is_dir():
        raise BadInput(f"{path}: the folder {path.parent} does not exist")
    if path.exists() and not force:
        refuse_existing(path, option)
    from accord.io.files import check_destination

    check_destination(path, force=force, what="the chart")


def save_plot(chart: Any, path: Path, *, force: bool = False) -> Path:
    """Write ``chart`` (an Altair chart) to ``path``; a wrong suffix or an existing file is bad input."""
    from accord.report.charts import save_chart

    check_plot_path(path, force=force)
    return save_chart(chart, path, force=force)


ScenarioPath = typer.Argument(
    ...,
    help="Scenario file (.toml or .json) or a GENIUS domain folder.",
    show_default=False,
)
JsonFlag = typer.Option(False, "--json", help="Print machine-readable JSON instead of tables.")
