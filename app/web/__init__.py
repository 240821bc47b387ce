"""Serving the Flet web app to phones: one versioned, precompressed, cached web root (shell.py) behind our ASGI app
(host.py). Flet's own FastAPI app still runs every session over its WebSocket; we only replace how files are served.
"""
