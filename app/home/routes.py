"""首页: the routes this feature answers."""

from app.home.views import home_screen
from app.shell.routes import Route

ROUTES = (Route("/", home_screen),)
