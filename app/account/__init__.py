"""我的: registration, log-in, profile and settings."""
