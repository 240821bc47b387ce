"""互动交流: the routes this feature answers."""

from app.appeals.following import appeal_screen, device_appeal_screen, lookup_screen, my_appeals_screen
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
    Route("/appeals", my_appeals_screen),
    Route("/appeals/lookup", lookup_screen),
    Route("/appeals/device/:number", device_appeal_screen),
    Route("/appeals/:number", appeal_screen),
)
