"""政务公开: policy documents, notices, news and policy explanations."""
