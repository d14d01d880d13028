"""Actors: find mentions (NER plus role noun phrases), code them CAMEO-style, and group them into identities.

Version ``actors.v1``. Which entities are people, organisations or places is decided once, by
`newsevents.extract.mentions.type_mentions`. Codes come from, in order: the people and organisation
dictionaries (date-bounded roles), titles in the mention ("US President Joe Biden" -> USA + GOV), country
words and demonyms, and the document (a surname used again, "the President" when one person in the article
holds that role). Unknowns stay honest: no country, no code. Modules: `index` (what the other extractors
read), `coding` (one mention's code), `builder` (finding mentions), `identity` (merging and ids).
"""

from __future__ import annotations

from spacy.tokens import Doc

from newsevents.extract.actors.builder import MentionBuilder
from newsevents.extract.actors.identity import identify
from newsevents.extract.actors.index import ActorIndex, Mention
from newsevents.extract.mentions import MentionTypes, type_mentions
from newsevents.kb import Resources
from newsevents.model import Article

__all__ = ["EXTRACTOR", "ActorIndex", "Mention", "extract_actors"]

EXTRACTOR = "actors.v1"


def extract_actors(
    doc: Doc, article: Article, *, resources: Resources, mentions: MentionTypes | None = None
) -> ActorIndex:
    """Find, code and group the actors of one article.

    Args:
        doc: the parsed `article.text`.
        article: the article (its anchor date selects dictionary roles; its id scopes unknown actors).
        resources: the knowledge base (lexicons and gazetteer).
        mentions: the entity types (`type_mentions`); computed here when not given.

    Returns:
        An `ActorIndex` with mentions, actor identities (ids unique) and a token lookup.

    Example:
        >>> doc = nlp("US President Joe Biden spoke.")  # doctest: +SKIP
        >>> index = extract_actors(doc, article, resources=res)  # doctest: +SKIP
        >>> index.actors[0].code  # doctest: +SKIP
        'USAGOV'
    """
    types = mentions if mentions is not None else type_mentions(doc, article, resources=resources)
    b = MentionBuilder(doc, article, resources, types)
    b.persons()
    b.organizations()
    b.repeated_names()
    b.role_phrases()
    b.resolve_titles_and_pronouns()
    merged, actors, ids = identify(b.mentions, article.id, resources.lexicons)
    return ActorIndex(
        merged,
        actors,
        ids,
        sentence_countries=b.sentence_countries(),
        dominant_country=b.dominant_country(),
        genders=b.genders,
    )
