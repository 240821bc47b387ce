"""The Yiwang backend: FastAPI + SQLAlchemy 2, one module per domain."""

VERSION = "0.1.0"
