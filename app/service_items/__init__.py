"""网上办事: the service catalogue, by department."""
