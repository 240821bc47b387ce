"""政务公开: policy documents, notices, news and interpretations, browsed by filters and found by search."""
