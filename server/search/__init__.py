"""Search over published content (articles now; service items and public appeals next), one engine for all.

The interface a domain module uses: `indexing.index_documents(connection, scope, sources)` to make items
findable (again: an item indexed before is replaced), `indexing.remove_documents` to withdraw them, and
`engine.search(db, scope, query, cursor, limit)` to answer a query. Everything is portable SQL over the
same tables on SQLite and PostgreSQL, so both answer every query identically:
`search_documents` holds the searchable text of each item, keyed by (scope, ref id); `search_segments`
and `search_blocks` hold packed posting lists (see `segments`); `search_terms` maps pinyin to the words
of titles; `search_synonyms` holds synonyms added by administrators. See `analysis` for how a query is
understood, `lexicon` for the shipped words, `text` for tokens and scores, `engine` for ranking.
"""
