"""首页: the first screen, fast to open."""
