"""The frame around every screen: routes collected from the features, the error boundary, navigation."""
