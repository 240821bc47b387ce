"""The department directory: who handles what."""
