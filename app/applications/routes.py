"""我的办件: the routes this feature answers."""

from app.applications.views import application_screen, my_applications_screen
from app.shell.routes import Route

ROUTES = (Route("/applications", my_applications_screen), Route("/applications/:number", application_screen))
