"""NLP stage: the spaCy model, loaded once."""

from newsevents.nlp.load import INSTALL_HINT, load_model, model_info, resolve_model_name

__all__ = ["INSTALL_HINT", "load_model", "model_info", "resolve_model_name"]
