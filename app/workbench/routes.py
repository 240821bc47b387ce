"""工作台: the routes this feature answers (an officer's 首页 is the workbench too, see `app.home.views`)."""

from app.shell.routes import Route
from app.workbench.appeals_views import appeal_inbox_screen, appeal_screen, supervision_screen
from app.workbench.views import case_screen, workbench_screen

ROUTES = (
    Route("/workbench", workbench_screen),
    Route("/workbench/case/:number", case_screen),
    Route("/workbench/appeals", appeal_inbox_screen),
    Route("/workbench/appeal/:number", appeal_screen),
    Route("/workbench/supervision", supervision_screen),
)
