"""ingest stage: read articles from files, directories and standard input into `RawArticle` records."""

from newsevents.ingest.base import STDIN_SOURCE, Fetcher, Source
from newsevents.ingest.files import FileSource, UndecodableError, decode_bytes, read_inputs

__all__ = [
    "STDIN_SOURCE",
    "Fetcher",
    "FileSource",
    "Source",
    "UndecodableError",
    "decode_bytes",
    "read_inputs",
]
