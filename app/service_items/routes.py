"""网上办事: the routes this feature answers."""

from app.service_items.views import (
    apply_screen,
    booking_screen,
    departments_screen,
    item_screen,
    service_search_screen,
    services_screen,
)
from app.service_items.visits import APPOINTMENTS_ROUTE, my_appointments_screen
from app.shell.routes import Route

ROUTES = (
    Route("/services", services_screen),
    Route("/services/search", service_search_screen),
    Route("/services/departments", departments_screen),
    Route("/services/item/:code", item_screen),
    Route("/services/item/:code/apply", apply_screen),
    Route("/services/item/:code/book", booking_screen),
    Route(APPOINTMENTS_ROUTE, my_appointments_screen),
)
