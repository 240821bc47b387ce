"""互动交流: the routes this feature answers."""

from app.appeals.mailbox import mailbox_screen, public_appeal_screen
from app.appeals.submit_screens import compose_screen, receipt_screen
from app.appeals.transparency import stats_screen
from app.appeals.views import interaction_screen
from app.shell.routes import Route

ROUTES = (
    Route("/interaction", interaction_screen),
    Route("/interaction/mailbox", mailbox_screen),
    Route("/interaction/mailbox/:number", public_appeal_screen),
    Route("/interaction/stats", stats_screen),
    Route("/interaction/new/:type", compose_screen),
    Route("/interaction/submitted/:number", receipt_screen),
)
