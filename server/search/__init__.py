"""Search over published content (articles now; service items and public appeals later).

One portable index serves SQLite and PostgreSQL alike, so both answer every query identically:
`search_documents` holds the searchable text of each item, keyed by (scope, ref id); `search_postings`
lists, for every token, the documents that contain it in rank order; `search_terms` maps pinyin to the
words of titles. See `server.search.text` for tokens and scores, `server.search.engine` for queries.
"""
