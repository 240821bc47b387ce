"""网上办事: the routes this feature answers."""

from app.service_items.views import services_screen
from app.shell.routes import Route

ROUTES = (Route("/services", services_screen),)
