"""`kotcoach serve`: the training log in a phone's browser (see `server`, `app`, `security`).

Nothing here is imported by any other part of kotcoach but the `serve` command, which imports it
inside the command: starlette, uvicorn and jinja2 are an optional extra (`kotcoach[serve]`).
"""
