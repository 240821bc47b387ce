"""政务公开: the routes this feature answers."""

from app.articles.views import article_screen, bookmarks_screen, disclosure_screen, search_screen, topics_screen
from app.shell.routes import Route

ROUTES = (
    Route("/disclosure", disclosure_screen),
    Route("/disclosure/search", search_screen),
    Route("/disclosure/bookmarks", bookmarks_screen),
    Route("/disclosure/topics", topics_screen),
    Route("/disclosure/article/:id", article_screen),
)
