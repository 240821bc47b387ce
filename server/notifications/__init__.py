"""消息: a per-user inbox that other domains write to (applications now, appeals' replies later)."""
