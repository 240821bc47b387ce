"""The frame around every screen: destinations, routes, responsive navigation."""
