"""消息: the citizen's inbox."""
