"""我的办件: the citizen's applications."""
