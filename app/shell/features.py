"""Every feature's routes, collected for the navigator. A new feature adds its `ROUTES` here."""

from app.account.routes import ROUTES as ACCOUNT
from app.appeals.routes import ROUTES as APPEALS
from app.applications.routes import ROUTES as APPLICATIONS
from app.articles.routes import ROUTES as ARTICLES
from app.home.routes import ROUTES as HOME
from app.notifications.routes import ROUTES as NOTIFICATIONS
from app.publishing.routes import ROUTES as PUBLISHING
from app.service_items.routes import ROUTES as SERVICE_ITEMS
from app.shell.routes import RouteTable
from app.workbench.routes import ROUTES as WORKBENCH

ROUTES = RouteTable(
    [*HOME, *ARTICLES, *SERVICE_ITEMS, *APPLICATIONS, *APPEALS, *ACCOUNT, *NOTIFICATIONS, *WORKBENCH, *PUBLISHING]
)
