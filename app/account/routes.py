"""我的: the routes this feature answers."""

from app.account.session_settings import SessionSettings
from app.account.views import login_screen, me_screen, profile_screen, register_screen, settings_screen
from app.shell.routes import Route

ROUTES = (
    Route("/me", me_screen),
    Route("/me/login", login_screen),
    Route("/me/register", register_screen),
    Route("/me/profile", profile_screen),
    Route("/me/settings", lambda ctx: settings_screen(ctx, SessionSettings(ctx))),
)
