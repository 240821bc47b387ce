"""What every domain module uses: errors, sessions, the caller, pagination, idempotency."""
