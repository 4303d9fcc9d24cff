"""The negotiation model: what a negotiation is, in the user's words."""

from accord.model.evidence import Meeting, Source, Stance, Statement
from accord.model.scenario import (
    Capability,
    Delegate,
    Issue,
    Option,
    Party,
    Preferences,
    Role,
    Scenario,
    ScenarioInfo,
    SettledPoint,
    Text,
    TextStatus,
)

__all__ = [
    "Capability",
    "Delegate",
    "Issue",
    "Meeting",
    "Option",
    "Party",
    "Preferences",
    "Role",
    "Scenario",
    "ScenarioInfo",
    "SettledPoint",
    "Source",
    "Stance",
    "Statement",
    "Text",
    "TextStatus",
]
