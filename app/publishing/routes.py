"""发布: the routes under the workbench (`new` before `:id`, which would take it)."""

from app.publishing.views import documents_screen, editor_screen
from app.shell.routes import Route

ROUTES = (
    Route("/workbench/publish", documents_screen),
    Route("/workbench/publish/new", editor_screen),
    Route("/workbench/publish/:id", editor_screen),
)
