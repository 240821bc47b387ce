"""消息: the routes this feature answers."""

from app.notifications.views import messages_screen
from app.shell.routes import Route

ROUTES = (Route("/me/messages", messages_screen),)
