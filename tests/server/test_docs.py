"""The service's reference pages name every endpoint and every limit the service has."""

from __future__ import annotations

from tests.server.helpers import ROOT, Service


def test_api_reference_lists_every_endpoint(sqlite_service: Service) -> None:
    text = (ROOT / "docs" / "reference" / "api.md").read_text(encoding="utf-8")
    schema = sqlite_service.app.openapi()
    missing = [f"{method.upper()} {path}" for path, methods in schema["paths"].items() for method in methods
               if f"| {method.upper()} | `{path.removeprefix('/api/v1')}` |" not in text]
    assert missing == [], "docs/reference/api.md lacks these endpoints"


def test_every_setting_is_documented() -> None:
    from dataclasses import fields

    from accord.server.settings import Settings

    text = (ROOT / "docs" / "reference" / "api.md").read_text(encoding="utf-8")
    text += (ROOT / "docs" / "how-to" / "run-the-service.md").read_text(encoding="utf-8")
    text += (ROOT / "docs" / "reference" / "cli.md").read_text(encoding="utf-8")
    documented = {"database_url": "--database", "secure_cookies": "--secure-cookies", "scheduler": "--scheduler",
                  "trusted_proxy": "--trusted-proxy", "max_body_bytes": "--max-body"}
    internal: set[str] = set()
    for field in fields(Settings):
        if field.name in internal:
            continue
        needle = documented.get(field.name, "ACCORD_" + field.name.upper())
        assert needle in text, f"setting {field.name} ({needle}) is not documented"
