"""The catalogue: models, YAML loading and validation, the cache, and the read views that
`list`, `plan` and the coach use; sources and bibliography."""
