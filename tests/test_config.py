"""Settings validation: environment, overrides, clear errors."""

from __future__ import annotations

import os

import pytest

from newsevents.config import load_settings
from newsevents.errors import ConfigError


def test_load_settings_reads_environment_then_overrides(tmp_path):
    env = {
        "NEWSEVENTS_MODEL": "en_core_web_md",
        "NEWSEVENTS_LEXICONS": f"{tmp_path}{os.pathsep}",
        "NEWSEVENTS_BATCH_SIZE": "8",
    }
    s = load_settings(env=env)
    assert (s.model, s.lexicons, s.batch_size) == ("en_core_web_md", (str(tmp_path),), 8)
    assert load_settings({"model": "en_core_web_sm", "lexicons": ()}, env=env).model == "en_core_web_sm"


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"batch_size": 0}, "batch_size"),
        ({"lexicons": ("/no/such/dir",)}, "lexicons"),
        ({"colour": "red"}, "colour"),
    ],
)
def test_load_settings_rejects_bad_values_naming_the_field(overrides, field):
    with pytest.raises(ConfigError, match=field):
        load_settings(overrides, env={})
