"""`carebase/search` `analytics`: off unless set, and refused when it could not work."""

from __future__ import annotations

from pathlib import Path

import pytest

from carebase.errors import ProjectError
from carebase.search.settings import SEARCH_PLUGIN, AnalyticsProvider, search_settings


def analytics(**options: object) -> object:
    return search_settings({SEARCH_PLUGIN: {"analytics": options}}).analytics


def test_analytics_are_off_by_default() -> None:
    assert search_settings({SEARCH_PLUGIN: {}}).analytics is None


def test_plausible_and_ga4_settings() -> None:
    plausible = analytics(
        provider="plausible", domain="help.example.com", endpoint="https://stats.example.com/"
    )
    assert plausible.provider is AnalyticsProvider.PLAUSIBLE  # type: ignore[attr-defined]
    assert plausible.endpoint == "https://stats.example.com"  # type: ignore[attr-defined]
    ga4 = analytics(provider="ga4", measurement_id="G-AB12CD34EF")
    assert ga4.no_click_seconds == 30  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"provider": "plausible"}, "analytics: provider 'plausible' needs 'domain'"),
        ({"provider": "ga4"}, "analytics: provider 'ga4' needs 'measurement_id'"),
        ({"provider": "ga4", "measurement_id": "UA-1234-1"},
         "analytics.measurement_id: String should match"),
        ({"provider": "matomo", "domain": "x"},
         "analytics.provider: Input should be 'plausible' or 'ga4'"),
        ({"provider": "plausible", "domain": "x", "endpoint": "javascript:alert(1)"},
         "analytics.endpoint: must be an http(s) address"),
        ({"provider": "plausible", "domain": "x", "endpoint": "https://u:p@stats.example.com"},
         "analytics.endpoint: must be a plain base address"),
        ({"provider": "plausible", "domain": "x", "no_click_seconds": 0},
         "analytics.no_click_seconds: Input should be greater than 0"),
        ({"provider": "plausible", "domain": "x", "key": "secret"},
         "analytics.key: Extra inputs are not permitted"),
    ],
)  # fmt: skip
def test_settings_that_could_not_work_are_refused(options: dict[str, object], message: str) -> None:
    with pytest.raises(ProjectError) as refused:
        analytics(**options)
    first = str(refused.value).splitlines()[0]
    assert first.startswith(f"mkdocs.yml: plugins.carebase/search.{message}")
    assert "hint: see the 'Search' section of the README" in str(refused.value)


def test_analytics_add_their_script_once_and_warn_beside_materials_provider(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    from mkdocs.config.defaults import MkDocsConfig

    from carebase_mkdocs.search.plugin import ANALYTICS_SCRIPT, _add_analytics_script

    (tmp_path / "docs").mkdir()
    config = MkDocsConfig(config_file_path=str(tmp_path / "mkdocs.yml"))
    config.load_dict(
        {
            "site_name": "Help",
            "docs_dir": str(tmp_path / "docs"),
            "extra_javascript": ["assets/carebase-search.js"],
            "extra": {"analytics": {"provider": "google", "property": "G-X"}},
        }
    )
    assert config.validate() == ([], [])
    _add_analytics_script(config)
    _add_analytics_script(config)  # `serve` runs on_config again on every rebuild.
    assert [str(script) for script in config.extra_javascript] == [
        "assets/carebase-search.js",
        ANALYTICS_SCRIPT,
    ]
    warnings = [record.getMessage() for record in caplog.records if record.levelname == "WARNING"]
    assert len(warnings) == 2
    assert warnings[0].startswith(
        "carebase-search: mkdocs.yml: extra.analytics.provider is 'google' and carebase/search "
        "has analytics too"
    )
