"""Named schema migrations, applied in order and recorded in the ``migrations`` table.

Each migration is a ``(name, sql)`` pair, as in sqlite-utils' migrations, with an optional Python `step`
for what SQL cannot say portably (parsing the stored JSON): a backend applies the ones whose name is not yet
in ``migrations`` (``name`` primary key, ``applied_at`` ISO 8601 UTC), each in its own transaction together
with its record (the SQL first, then the step, which gets a `newsevents.store.queries.Fetch` running qmark
`Query` objects on the same connection and returning ``[]`` for statements without rows), and never
re-applies one. Never edit or reorder a released migration:
append a new one. The SQL is portable (SQLite and PostgreSQL): ``TEXT``/``INTEGER``/``BIGINT``/``DOUBLE
PRECISION`` columns, ISO 8601 date strings, no ``AUTOINCREMENT``, and no ``;`` inside a statement, so that
`split_statements` can run it through any DB-API driver.

Schema (``0001_initial``). Offsets are character offsets into ``articles.text``; the bare offset columns are
called ``start_char``/``end_char`` because ``END`` is a reserved word in SQL.

``articles``
    One row per article id: ``source``, ``url``, ``title``, ``subtitle``, ``published`` (ISO date),
    ``published_earliest`` and ``published_inferred_json`` (the inferred-date bounds), ``text`` (the cleaned
    text every offset points into), ``removed_json``, ``content_hash``, ``pipeline_version``, ``model_name``,
    ``model_version``, ``result_json`` (the exact contract object, what ``get_article`` returns) and
    ``stored_at`` (when this version was written; an "unchanged" save leaves it alone); since 0005
    ``duplicate_of`` (the canonical article this one is a near-copy of, set by `newsevents.link`).
``events``
    PLOVER events, ``article_id`` -> articles (cascade): ``type``, ``mode``, ``cameo``, ``factuality``,
    ``date``/``date_precision``/``date_source`` as extracted, ``date_first``/``date_last`` (the first and last
    day the event may fall on: the period named by ``date``, or the article's published day when ``date`` is
    null or unparsable; these drive date filters and ordering), trigger and sentence offsets,
    ``trigger_text``, ``place_id`` -> places with ``place_name``/``place_country``, ``confidence``,
    ``evidence``; since 0002 also ``quad_class``, ``goldstein`` and the reporting source
    (``reported_by_text``/``_name``/``_code``).
``event_actors``
    ``event_id`` -> events (cascade), ``role`` ('actor' or 'recipient'), ``ordinal`` (order within the role),
    the mention (``actor_id`` as a soft reference, ``text``, ``name``, ``code``, offsets).
``quotes``
    ``article_id`` -> articles (cascade): ``text``, offsets, ``kind``, ``cue`` and its offsets, the speaker
    mention (``speaker_actor_id``, ``speaker_text``, ``speaker_name``, ``speaker_code``, offsets),
    ``confidence``, ``evidence``.
``positions``
    ``(article_id, ordinal)``: the holder mention, ``stance``, ``target``, evidence offsets.
``actors`` / ``places``
    Global identities shared by every article (ids are deterministic), upserted on each save (last writer
    wins) and never deleted by an article update.
``actor_mentions`` / ``place_mentions``
    ``(article_id, actor_id|place_id, ordinal)`` with offsets: which article mentions which identity, where.
``times``
    ``(article_id, ordinal)``: every temporal expression with ``value``, ``precision``, ``anchor``,
    ``relative`` (0/1).
``rejections``
    Keyed by ``(source, stage, reason)``: the latest ``detail`` and ``article_id``, ``seen_count``,
    ``first_seen``, ``last_seen``.

Since ``0006_stories`` (written by `newsevents.link`, rebuilt as a whole on every link):

``articles.story_id`` / ``events.happening_id``
    The story of each article and the happening of each event mention.
``stories``
    ``id``, ``title`` (of its first article), ``first_day``/``last_day`` (its articles' dates),
    ``n_articles``, ``n_sources``, ``n_events`` (happenings), ``n_mentions``, ``linked_by_json``,
    ``articles_json`` (its article ids, first first).
``happenings``
    ``id``, ``story_id``, ``event_id`` (the representative mention), ``type``, ``factuality``,
    ``date_first``/``date_last``, ``n_mentions``, ``n_articles``, ``n_sources``, ``contradicts_json``.
``link_changes``
    ``(kind, old_id, new_id, changed_at)`` with ``change``: a story or happening id that a re-link
    replaced, ``merged_into`` the one id that took all its members or ``split_into`` each of several.

Since ``0004_identity`` (the identity policy of `newsevents.ids`: an article id never depends on a path):

``article_sources``
    ``(article_id, source)`` -> articles (cascade), ``first_seen``, ``last_seen``: every place (file path,
    ``path:line`` of a JSON Lines file, ``<stdin>``, URL) an article was read from; every save touches it.
    ``articles.source`` is the source of the version stored.
``events.event_json`` / ``quotes.quote_json``
    The item's contract object as JSON, what the listings print; the other columns are for filtering.

Since ``0010_event_listing`` (what the listings sort and filter on, kept in step by every save and link, so
that a page of events is read from an index rather than by sorting every match):

``events.listed``
    1 for the row a happening listing shows (an event not linked yet, or its happening's representative
    mention), else 0.
``events.span_first`` / ``events.span_last``
    The first and last day the row may fall on: its happening's ``date_first``/``date_last``, else its own;
    ``''`` when undated (so the columns sort, undated first, in one index on both backends).

``0004_identity`` re-keys articles stored under the old path-based ids (``url`` null and a sha256
``content_hash``) to ``substr(content_hash, 1, 16)``, moving their items and rejections along (items keep
their own ids); when several old rows become one article, the earliest stored is kept with the sources of
all. Its step then fills ``event_json``/``quote_json`` from each article's ``result_json`` and writes the
new id into ``result_json``.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any, NamedTuple

from newsevents.store.queries import Fetch, Query

__all__ = [
    "MIGRATIONS",
    "MIGRATIONS_TABLE_SQL",
    "Migration",
    "MigrationStep",
    "pending_migrations",
    "split_statements",
]

#: A Python part of a migration: gets a `Fetch` bound to the migration's transaction.
MigrationStep = Callable[[Fetch], None]


class Migration(NamedTuple):
    """One named schema change: portable SQL, then an optional Python `step` in the same transaction.

    `dialects`, when set, names the only backends (``"sqlite"``, ``"postgresql"``) the change applies to;
    elsewhere it is recorded as applied without running, so every database lists the same migrations.
    """

    name: str
    sql: str
    step: MigrationStep | None = None
    dialects: frozenset[str] | None = None

    def applies_to(self, dialect: str) -> bool:
        """Whether this migration does anything on `dialect`.

        Example:
            >>> Migration("x", "", dialects=frozenset({"sqlite"})).applies_to("postgresql")
            False
        """
        return self.dialects is None or dialect in self.dialects


#: Created by the runner itself, before any migration, so it is not a migration.
MIGRATIONS_TABLE_SQL = (
    "CREATE TABLE IF NOT EXISTS migrations (name TEXT PRIMARY KEY, applied_at TEXT NOT NULL)"
)

_INITIAL = """
CREATE TABLE articles (
    id TEXT PRIMARY KEY,
    source TEXT NOT NULL,
    url TEXT,
    title TEXT,
    subtitle TEXT,
    published TEXT,
    published_earliest TEXT,
    published_inferred_json TEXT,
    text TEXT NOT NULL,
    removed_json TEXT NOT NULL,
    content_hash TEXT NOT NULL,
    pipeline_version TEXT NOT NULL,
    model_name TEXT,
    model_version TEXT,
    result_json TEXT NOT NULL,
    stored_at TEXT NOT NULL
);
CREATE INDEX articles_published ON articles (published, id);
CREATE INDEX articles_content_hash ON articles (content_hash);

CREATE TABLE actors (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    code TEXT,
    kind TEXT NOT NULL,
    role TEXT,
    country TEXT
);
CREATE INDEX actors_code ON actors (code);

CREATE TABLE places (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    country TEXT,
    lat DOUBLE PRECISION,
    lon DOUBLE PRECISION,
    geonameid BIGINT,
    precision TEXT NOT NULL
);

CREATE TABLE events (
    id TEXT PRIMARY KEY,
    article_id TEXT NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    type TEXT NOT NULL,
    mode TEXT,
    cameo TEXT NOT NULL,
    factuality TEXT NOT NULL,
    date TEXT,
    date_precision TEXT NOT NULL,
    date_source TEXT NOT NULL,
    date_first TEXT,
    date_last TEXT,
    trigger_start INTEGER NOT NULL,
    trigger_end INTEGER NOT NULL,
    trigger_text TEXT NOT NULL,
    sentence_start INTEGER NOT NULL,
    sentence_end INTEGER NOT NULL,
    place_id TEXT REFERENCES places (id),
    place_name TEXT,
    place_country TEXT,
    confidence DOUBLE PRECISION NOT NULL,
    evidence TEXT NOT NULL
);
CREATE INDEX events_article ON events (article_id);
CREATE INDEX events_date ON events (date_first, date_last);
CREATE INDEX events_place ON events (place_id);

CREATE TABLE event_actors (
    event_id TEXT NOT NULL REFERENCES events (id) ON DELETE CASCADE,
    role TEXT NOT NULL CHECK (role IN ('actor', 'recipient')),
    ordinal INTEGER NOT NULL,
    actor_id TEXT,
    text TEXT NOT NULL,
    name TEXT,
    code TEXT,
    start_char INTEGER NOT NULL,
    end_char INTEGER NOT NULL,
    PRIMARY KEY (event_id, role, ordinal)
);
CREATE INDEX event_actors_actor ON event_actors (actor_id);
CREATE INDEX event_actors_code ON event_actors (code);

CREATE TABLE quotes (
    id TEXT PRIMARY KEY,
    article_id TEXT NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    text TEXT NOT NULL,
    start_char INTEGER NOT NULL,
    end_char INTEGER NOT NULL,
    kind TEXT NOT NULL,
    cue TEXT,
    cue_start INTEGER,
    cue_end INTEGER,
    speaker_actor_id TEXT,
    speaker_text TEXT,
    speaker_name TEXT,
    speaker_code TEXT,
    speaker_start INTEGER,
    speaker_end INTEGER,
    confidence DOUBLE PRECISION NOT NULL,
    evidence TEXT NOT NULL
);
CREATE INDEX quotes_article ON quotes (article_id);
CREATE INDEX quotes_speaker_actor ON quotes (speaker_actor_id);
CREATE INDEX quotes_speaker_code ON quotes (speaker_code);

CREATE TABLE positions (
    article_id TEXT NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    ordinal INTEGER NOT NULL,
    holder_actor_id TEXT,
    holder_text TEXT NOT NULL,
    holder_name TEXT,
    holder_code TEXT,
    holder_start INTEGER NOT NULL,
    holder_end INTEGER NOT NULL,
    stance TEXT NOT NULL,
    target TEXT NOT NULL,
    evidence_start INTEGER NOT NULL,
    evidence_end INTEGER NOT NULL,
    PRIMARY KEY (article_id, ordinal)
);

CREATE TABLE actor_mentions (
    article_id TEXT NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    actor_id TEXT NOT NULL REFERENCES actors (id),
    ordinal INTEGER NOT NULL,
    start_char INTEGER NOT NULL,
    end_char INTEGER NOT NULL,
    PRIMARY KEY (article_id, actor_id, ordinal)
);
CREATE INDEX actor_mentions_actor ON actor_mentions (actor_id);

CREATE TABLE place_mentions (
    article_id TEXT NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    place_id TEXT NOT NULL REFERENCES places (id),
    ordinal INTEGER NOT NULL,
    start_char INTEGER NOT NULL,
    end_char INTEGER NOT NULL,
    PRIMARY KEY (article_id, place_id, ordinal)
);
CREATE INDEX place_mentions_place ON place_mentions (place_id);

CREATE TABLE times (
    article_id TEXT NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    ordinal INTEGER NOT NULL,
    start_char INTEGER NOT NULL,
    end_char INTEGER NOT NULL,
    text TEXT NOT NULL,
    value TEXT,
    precision TEXT NOT NULL,
    anchor TEXT,
    relative INTEGER NOT NULL,
    PRIMARY KEY (article_id, ordinal)
);

CREATE TABLE rejections (
    source TEXT NOT NULL,
    stage TEXT NOT NULL,
    reason TEXT NOT NULL,
    detail TEXT NOT NULL,
    article_id TEXT,
    seen_count INTEGER NOT NULL,
    first_seen TEXT NOT NULL,
    last_seen TEXT NOT NULL,
    PRIMARY KEY (source, stage, reason)
);
"""

_EVENT_CODING = """
ALTER TABLE events ADD COLUMN quad_class INTEGER;
ALTER TABLE events ADD COLUMN goldstein DOUBLE PRECISION;
ALTER TABLE events ADD COLUMN reported_by_text TEXT;
ALTER TABLE events ADD COLUMN reported_by_name TEXT;
ALTER TABLE events ADD COLUMN reported_by_code TEXT;
"""

# Old rows to re-key: no URL (their id hashed a path or a pseudo-source) and a real sha256 content hash.
# `keep` marks the earliest stored row of each new id; the others are copies of the same text.
_IDENTITY = """
CREATE TABLE article_sources (
    article_id TEXT NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    source TEXT NOT NULL,
    first_seen TEXT NOT NULL,
    last_seen TEXT NOT NULL,
    PRIMARY KEY (article_id, source)
);
CREATE INDEX article_sources_source ON article_sources (source);
ALTER TABLE events ADD COLUMN event_json TEXT;
ALTER TABLE quotes ADD COLUMN quote_json TEXT;
CREATE INDEX rejections_article ON rejections (article_id);

INSERT INTO article_sources (article_id, source, first_seen, last_seen)
SELECT id, source, stored_at, stored_at FROM articles;

CREATE TABLE rekey_0004 (old_id TEXT PRIMARY KEY, new_id TEXT NOT NULL, keep INTEGER NOT NULL);
INSERT INTO rekey_0004 (old_id, new_id, keep)
SELECT a.id, SUBSTR(a.content_hash, 1, 16),
    CASE WHEN EXISTS (SELECT 1 FROM articles c WHERE c.id = SUBSTR(a.content_hash, 1, 16))
        OR EXISTS (
            SELECT 1 FROM articles b
            WHERE b.url IS NULL AND LENGTH(b.content_hash) = 64 AND b.id <> a.id
                AND SUBSTR(b.content_hash, 1, 16) = SUBSTR(a.content_hash, 1, 16)
                AND (b.stored_at < a.stored_at OR (b.stored_at = a.stored_at AND b.id < a.id))
        )
    THEN 0 ELSE 1 END
FROM articles a
WHERE a.url IS NULL AND LENGTH(a.content_hash) = 64 AND a.id <> SUBSTR(a.content_hash, 1, 16);

INSERT INTO articles (id, source, url, title, subtitle, published, published_earliest,
    published_inferred_json, text, removed_json, content_hash, pipeline_version, model_name, model_version,
    result_json, stored_at)
SELECT r.new_id, a.source, a.url, a.title, a.subtitle, a.published, a.published_earliest,
    a.published_inferred_json, a.text, a.removed_json, a.content_hash, a.pipeline_version, a.model_name,
    a.model_version, a.result_json, a.stored_at
FROM articles a JOIN rekey_0004 r ON r.old_id = a.id WHERE r.keep = 1;

UPDATE events SET article_id = (SELECT r.new_id FROM rekey_0004 r WHERE r.old_id = events.article_id)
WHERE article_id IN (SELECT old_id FROM rekey_0004 WHERE keep = 1);
UPDATE quotes SET article_id = (SELECT r.new_id FROM rekey_0004 r WHERE r.old_id = quotes.article_id)
WHERE article_id IN (SELECT old_id FROM rekey_0004 WHERE keep = 1);
UPDATE positions SET article_id = (SELECT r.new_id FROM rekey_0004 r WHERE r.old_id = positions.article_id)
WHERE article_id IN (SELECT old_id FROM rekey_0004 WHERE keep = 1);
UPDATE actor_mentions
SET article_id = (SELECT r.new_id FROM rekey_0004 r WHERE r.old_id = actor_mentions.article_id)
WHERE article_id IN (SELECT old_id FROM rekey_0004 WHERE keep = 1);
UPDATE place_mentions
SET article_id = (SELECT r.new_id FROM rekey_0004 r WHERE r.old_id = place_mentions.article_id)
WHERE article_id IN (SELECT old_id FROM rekey_0004 WHERE keep = 1);
UPDATE times SET article_id = (SELECT r.new_id FROM rekey_0004 r WHERE r.old_id = times.article_id)
WHERE article_id IN (SELECT old_id FROM rekey_0004 WHERE keep = 1);
UPDATE rejections SET article_id = (SELECT r.new_id FROM rekey_0004 r WHERE r.old_id = rejections.article_id)
WHERE article_id IN (SELECT old_id FROM rekey_0004);

INSERT INTO article_sources (article_id, source, first_seen, last_seen)
SELECT r.new_id, s.source, MIN(s.first_seen), MAX(s.last_seen)
FROM article_sources s JOIN rekey_0004 r ON r.old_id = s.article_id
WHERE NOT EXISTS (SELECT 1 FROM article_sources t WHERE t.article_id = r.new_id AND t.source = s.source)
GROUP BY r.new_id, s.source;

DELETE FROM articles WHERE id IN (SELECT old_id FROM rekey_0004);
DROP TABLE rekey_0004;
"""

_PAGE = 200


def _contract_json_step(fetch: Fetch) -> None:
    """Fill ``event_json``/``quote_json`` from each article's stored contract, and give it its current id."""
    after = ""
    while True:
        rows = fetch(
            Query("SELECT id, result_json FROM articles WHERE id > ? ORDER BY id LIMIT ?", (after, _PAGE))
        )
        if not rows:
            return
        for row in rows:
            _fill_contract_json(fetch, str(row["id"]), str(row["result_json"]))
        after = str(rows[-1]["id"])


def _fill_contract_json(fetch: Fetch, article_id: str, result_json: str) -> None:
    try:
        contract: Any = json.loads(result_json)
    except ValueError:  # not ours to repair: the listings show such items with their id only
        return
    if not isinstance(contract, dict):
        return
    for key, table, column in (("events", "events", "event_json"), ("quotes", "quotes", "quote_json")):
        for item in contract.get(key) or ():
            if isinstance(item, dict) and "id" in item:
                compact = json.dumps(item, ensure_ascii=False, separators=(",", ":"))
                fetch(
                    Query(
                        f"UPDATE {table} SET {column} = ? WHERE id = ? AND article_id = ?",
                        (compact, item["id"], article_id),
                    )
                )
    article = contract.get("article")
    if isinstance(article, dict) and article.get("id") != article_id:
        article["id"] = article_id
        payload = json.dumps(contract, ensure_ascii=False, separators=(",", ":"))
        fetch(Query("UPDATE articles SET result_json = ? WHERE id = ?", (payload, article_id)))


_STORIES = """
ALTER TABLE articles ADD COLUMN story_id TEXT;
CREATE INDEX articles_story ON articles (story_id);
ALTER TABLE events ADD COLUMN happening_id TEXT;
CREATE INDEX events_happening ON events (happening_id);
CREATE TABLE stories (
    id TEXT PRIMARY KEY,
    title TEXT,
    first_day TEXT,
    last_day TEXT,
    n_articles INTEGER NOT NULL,
    n_sources INTEGER NOT NULL,
    n_events INTEGER NOT NULL,
    n_mentions INTEGER NOT NULL,
    linked_by_json TEXT NOT NULL,
    articles_json TEXT NOT NULL
);
CREATE INDEX stories_first ON stories (first_day, id);
CREATE TABLE happenings (
    id TEXT PRIMARY KEY,
    story_id TEXT NOT NULL,
    event_id TEXT NOT NULL,
    type TEXT NOT NULL,
    factuality TEXT NOT NULL,
    date_first TEXT,
    date_last TEXT,
    n_mentions INTEGER NOT NULL,
    n_articles INTEGER NOT NULL,
    n_sources INTEGER NOT NULL,
    contradicts_json TEXT NOT NULL
);
CREATE INDEX happenings_story ON happenings (story_id, date_first);
CREATE TABLE link_changes (
    changed_at TEXT NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('story', 'happening')),
    old_id TEXT NOT NULL,
    change TEXT NOT NULL CHECK (change IN ('merged_into', 'split_into')),
    new_id TEXT NOT NULL,
    PRIMARY KEY (kind, old_id, new_id, changed_at)
);
CREATE INDEX link_changes_new ON link_changes (new_id);
"""

_RUNS = """
CREATE TABLE runs (
    id TEXT PRIMARY KEY,
    command TEXT NOT NULL,
    inputs_json TEXT NOT NULL,
    settings_json TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('running', 'finished', 'failed', 'interrupted')),
    started_at TEXT NOT NULL,
    finished_at TEXT,
    host TEXT,
    pid INTEGER
);
CREATE INDEX runs_started ON runs (started_at);
CREATE TABLE run_units (
    run_id TEXT NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
    unit TEXT NOT NULL,
    source TEXT NOT NULL,
    outcome TEXT NOT NULL CHECK (outcome IN ('stored', 'duplicate', 'unchanged', 'quarantined', 'filtered')),
    reason TEXT,
    stage TEXT,
    detail TEXT,
    article_id TEXT,
    recorded_at TEXT NOT NULL,
    PRIMARY KEY (run_id, unit)
);
CREATE INDEX run_units_outcome ON run_units (run_id, outcome);
CREATE INDEX rejections_reason ON rejections (reason, last_seen);
"""

# Views for browsing the database as tables (datasette, spreadsheets, BI tools): one row per event mention
# with its first actor and recipient, article and place; one row per quote with its article.
_VIEWS = """
CREATE VIEW event_rows AS
SELECT e.id AS event_id, e.happening_id, a.story_id, e.article_id, a.title AS article_title,
    a.published AS article_published, a.url AS article_url, e.type, e.mode, e.cameo, e.quad_class,
    e.goldstein, e.factuality, e.date, e.date_first, e.date_last,
    ac.name AS actor_name, ac.text AS actor_text, ac.code AS actor_code,
    re.name AS recipient_name, re.text AS recipient_text, re.code AS recipient_code,
    e.place_name, e.place_country, p.lat AS place_lat, p.lon AS place_lon, e.trigger_text, e.confidence,
    e.sentence_start, e.sentence_end, e.trigger_start, e.trigger_end
FROM events e
JOIN articles a ON a.id = e.article_id
LEFT JOIN event_actors ac ON ac.event_id = e.id AND ac.role = 'actor' AND ac.ordinal = 0
LEFT JOIN event_actors re ON re.event_id = e.id AND re.role = 'recipient' AND re.ordinal = 0
LEFT JOIN places p ON p.id = e.place_id;
CREATE VIEW quote_rows AS
SELECT q.id AS quote_id, q.article_id, a.title AS article_title, a.published AS article_published,
    a.url AS article_url, q.kind, q.speaker_name, q.speaker_text, q.speaker_code, q.cue, q.text,
    q.confidence, q.start_char, q.end_char
FROM quotes q JOIN articles a ON a.id = q.article_id;
CREATE VIEW happening_rows AS
SELECT h.id AS happening_id, h.story_id, s.title AS story_title, h.type, h.factuality, h.date_first,
    h.date_last, h.n_mentions, h.n_articles, h.n_sources, e.cameo,
    ac.name AS actor_name, ac.code AS actor_code, re.name AS recipient_name, re.code AS recipient_code,
    e.place_name, e.place_country, p.lat AS place_lat, p.lon AS place_lon, e.article_id, e.trigger_text
FROM happenings h
JOIN events e ON e.id = h.event_id
LEFT JOIN stories s ON s.id = h.story_id
LEFT JOIN event_actors ac ON ac.event_id = e.id AND ac.role = 'actor' AND ac.ordinal = 0
LEFT JOIN event_actors re ON re.event_id = e.id AND re.role = 'recipient' AND re.ordinal = 0
LEFT JOIN places p ON p.id = e.place_id;
"""

#: SQLite FTS5 indexes (external content, kept in step by triggers) on article titles and texts, and on
#: quotes with their speakers: datasette finds them by name (``articles_fts``, ``quotes_fts``) and offers a
#: search box on those tables. Triggers hold ``;`` inside, so they run one by one from a step.
_SQLITE_FULLTEXT: tuple[str, ...] = (
    "CREATE VIRTUAL TABLE articles_fts USING fts5(title, text, content='articles', content_rowid='rowid')",
    "CREATE TRIGGER articles_fts_insert AFTER INSERT ON articles BEGIN"
    " INSERT INTO articles_fts (rowid, title, text) VALUES (new.rowid, new.title, new.text); END",
    "CREATE TRIGGER articles_fts_delete AFTER DELETE ON articles BEGIN"
    " INSERT INTO articles_fts (articles_fts, rowid, title, text)"
    " VALUES ('delete', old.rowid, old.title, old.text); END",
    "CREATE TRIGGER articles_fts_update AFTER UPDATE OF title, text ON articles BEGIN"
    " INSERT INTO articles_fts (articles_fts, rowid, title, text)"
    " VALUES ('delete', old.rowid, old.title, old.text);"
    " INSERT INTO articles_fts (rowid, title, text) VALUES (new.rowid, new.title, new.text); END",
    "CREATE VIRTUAL TABLE quotes_fts USING fts5(text, speaker_name, content='quotes', content_rowid='rowid')",
    "CREATE TRIGGER quotes_fts_insert AFTER INSERT ON quotes BEGIN"
    " INSERT INTO quotes_fts (rowid, text, speaker_name) VALUES (new.rowid, new.text, new.speaker_name); END",
    "CREATE TRIGGER quotes_fts_delete AFTER DELETE ON quotes BEGIN"
    " INSERT INTO quotes_fts (quotes_fts, rowid, text, speaker_name)"
    " VALUES ('delete', old.rowid, old.text, old.speaker_name); END",
    "INSERT INTO articles_fts (articles_fts) VALUES ('rebuild')",
    "INSERT INTO quotes_fts (quotes_fts) VALUES ('rebuild')",
)


def _sqlite_fulltext_step(fetch: Fetch) -> None:
    for statement in _SQLITE_FULLTEXT:
        fetch(Query(statement))


#: Sets `events.listed`, `span_first` and `span_last` from the links stored (run by every link too).
REFRESH_EVENT_LISTING = (
    "UPDATE events SET"
    " listed = CASE WHEN COALESCE((SELECT h.event_id FROM happenings h WHERE h.id = events.happening_id), id)"
    " = id THEN 1 ELSE 0 END,"
    " span_first = COALESCE((SELECT h.date_first FROM happenings h WHERE h.id = events.happening_id),"
    " date_first, ''),"
    " span_last = COALESCE((SELECT h.date_last FROM happenings h WHERE h.id = events.happening_id),"
    " date_last, '')"
)

_EVENT_LISTING = f"""
ALTER TABLE events ADD COLUMN listed INTEGER NOT NULL DEFAULT 1;
ALTER TABLE events ADD COLUMN span_first TEXT NOT NULL DEFAULT '';
ALTER TABLE events ADD COLUMN span_last TEXT NOT NULL DEFAULT '';
{REFRESH_EVENT_LISTING};
CREATE INDEX events_listing ON events (listed, span_first, id);
CREATE INDEX events_span ON events (span_first, id);
"""


#: Every migration, in the order it is applied. Append only.
MIGRATIONS: tuple[Migration, ...] = (
    Migration("0001_initial", _INITIAL),
    Migration("0002_event_coding", _EVENT_CODING),
    Migration("0003_place_confidence", "ALTER TABLE places ADD COLUMN confidence DOUBLE PRECISION;"),
    Migration("0004_identity", _IDENTITY, _contract_json_step),
    Migration(
        "0005_copies",
        "ALTER TABLE articles ADD COLUMN duplicate_of TEXT;\n"
        "CREATE INDEX articles_duplicate_of ON articles (duplicate_of);",
    ),
    Migration("0006_stories", _STORIES),
    Migration("0007_runs", _RUNS),
    Migration("0008_views", _VIEWS),
    Migration("0009_fulltext", "", _sqlite_fulltext_step, dialects=frozenset({"sqlite"})),
    Migration("0010_event_listing", _EVENT_LISTING),
)


def split_statements(sql: str) -> list[str]:
    """Split a migration's SQL into single statements for drivers that run one at a time.

    Migrations never put ``;`` inside a statement (no triggers, no string literals with it), so a plain split
    is exact.

    Args:
        sql: one or more statements separated by ``;``.

    Returns:
        The non-empty statements, stripped, without their ``;``.

    Example:
        >>> split_statements("CREATE TABLE a (x TEXT);\\n CREATE INDEX a_x ON a (x);")
        ['CREATE TABLE a (x TEXT)', 'CREATE INDEX a_x ON a (x)']
    """
    return [statement.strip() for statement in sql.split(";") if statement.strip()]


def pending_migrations(applied: set[str], migrations: tuple[Migration, ...]) -> list[Migration]:
    """The migrations not applied yet, in order.

    Args:
        applied: names already recorded in the ``migrations`` table.
        migrations: the known migrations, usually `MIGRATIONS`.

    Returns:
        Those whose name is not in `applied`, in their original order.

    Example:
        >>> [m.name for m in pending_migrations({"0001_initial"}, MIGRATIONS)][:3]
        ['0002_event_coding', '0003_place_confidence', '0004_identity']
    """
    return [migration for migration in migrations if migration.name not in applied]
