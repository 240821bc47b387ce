"""The Flet UI. Views reach the backend only through `api_client`, via the small services beside them."""
