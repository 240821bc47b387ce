"""网上办事: the service catalogue, guides, applying and visits."""
