"""clean stage: raw articles in, cleaned `Article` records (or `Rejected`) out."""

from newsevents.clean.html import extract_html
from newsevents.clean.text import (
    canonical_url,
    clean_article,
    hash_content,
    make_pipeline,
    normalize_text,
    parse_date,
    remove_debris,
)

__all__ = [
    "canonical_url",
    "clean_article",
    "extract_html",
    "hash_content",
    "make_pipeline",
    "normalize_text",
    "parse_date",
    "remove_debris",
]
