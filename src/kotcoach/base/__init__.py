"""The base: errors and exit codes, vocabularies, writing files safely, "did you mean"."""
