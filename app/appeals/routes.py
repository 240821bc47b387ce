"""互动交流: the routes this feature answers."""

from app.appeals.views import interaction_screen
from app.shell.routes import Route

ROUTES = (Route("/interaction", interaction_screen),)
