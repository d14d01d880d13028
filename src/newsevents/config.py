"""Settings, validated once at start-up (pydantic, no unknown fields), from arguments and the environment.

| setting | environment | default |
|---|---|---|
| ``model`` | ``NEWSEVENTS_MODEL`` | ``auto`` (the best installed English model) |
| ``lexicons`` | ``NEWSEVENTS_LEXICONS`` (paths joined by ``os.pathsep``) | none: the bundled lexicons only |
| ``batch_size`` | ``NEWSEVENTS_BATCH_SIZE`` | 16 |
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from newsevents.errors import ConfigError

__all__ = ["Settings", "load_settings"]


class Settings(BaseModel):
    """Run-time settings of the pipeline."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    model: str = "auto"
    lexicons: tuple[str, ...] = ()
    batch_size: int = Field(default=16, ge=1, le=1024)

    @field_validator("lexicons")
    @classmethod
    def _paths_exist(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        missing = [p for p in value if not os.path.exists(p.removeprefix("verbs:"))]
        if missing:
            raise ValueError(f"no such lexicon file or directory: {', '.join(missing)}")
        return value


def load_settings(
    overrides: Mapping[str, Any] | None = None, env: Mapping[str, str] | None = None
) -> Settings:
    """Settings from the environment, then explicit overrides (None values are ignored).

    Raises:
        ConfigError: a value is invalid; the message names the setting and the reason.

    Example:
        >>> load_settings({"model": "en_core_web_sm"}, env={}).model
        'en_core_web_sm'
    """
    env = os.environ if env is None else env
    values: dict[str, Any] = {}
    if env.get("NEWSEVENTS_MODEL"):
        values["model"] = env["NEWSEVENTS_MODEL"]
    if env.get("NEWSEVENTS_LEXICONS"):
        values["lexicons"] = tuple(p for p in env["NEWSEVENTS_LEXICONS"].split(os.pathsep) if p)
    if env.get("NEWSEVENTS_BATCH_SIZE"):
        values["batch_size"] = env["NEWSEVENTS_BATCH_SIZE"]
    values.update({k: v for k, v in (overrides or {}).items() if v is not None and v != ()})
    try:
        return Settings(**values)
    except ValidationError as exc:
        problems = "; ".join(f"{'.'.join(str(p) for p in e['loc'])}: {e['msg']}" for e in exc.errors())
        raise ConfigError(f"invalid settings: {problems}") from exc
