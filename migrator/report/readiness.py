"""The readiness summary: what is left to do before the migrated code runs on Cerebras."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from codemods.facts import models
from codemods.options import Options

DEFAULT_MAP_LABEL = "OpenAI chat or completion model"


@dataclass(frozen=True)
class MapEntry:
    pattern: str  # a glob; for the default map, one of models.OPENAI_MODEL_PATTERNS
    model: str
    source: str  # "user" (--model-map or the config file) or "default"


@dataclass
class ManualWork:
    """A file with at least one warning- or error-severity diagnostic."""

    path: str
    warnings: int = 0
    errors: int = 0
    codes: Counter[str] = field(default_factory=Counter)


@dataclass
class ReadinessSummary:
    """What is left to do before the migrated code runs on Cerebras."""

    env: tuple[str, ...]
    model_map: tuple[MapEntry, ...]  # empty: no model was mapped and the user gave no entry
    manual: tuple[ManualWork, ...]


def model_map_used(options: Options, mapped: bool) -> tuple[MapEntry, ...]:
    """The user's entries, then the default map: first match wins. Shown only when a model
    was ``mapped`` or the user gave entries; ``--keep-models`` maps nothing."""
    if options.keep_models or not (options.model_map or mapped):
        return ()
    user = [MapEntry(old, new, "user") for old, new in options.model_map]
    default = [
        MapEntry(pattern, models.DEFAULT_CEREBRAS_MODEL, "default")
        for pattern in models.OPENAI_MODEL_PATTERNS
    ]
    return (*user, *default)
