"""Where the training log lives: `$KOTCOACH_DATA_DIR`, else platformdirs' user data folder."""

from __future__ import annotations

import os
from pathlib import Path

ENV_VAR = "KOTCOACH_DATA_DIR"
FILE_NAME = "kotcoach.db"


def data_dir() -> Path:
    """The folder for the log. Nothing is created here: the store makes it on the first write."""
    from_env = os.environ.get(ENV_VAR)
    if from_env:
        return Path(from_env).expanduser()
    from platformdirs import user_data_path

    return user_data_path("kotcoach", appauthor=False)


def database_path() -> Path:
    """The SQLite file that holds every profile's log."""
    return data_dir() / FILE_NAME
