"""Citizens, officers and admins: registration, log-in, sessions and profiles."""
