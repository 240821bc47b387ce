"""Service-wide calls."""

from pydantic import TypeAdapter

from api_client._operation import Operation
from api_client.models import Health

_HEALTH = TypeAdapter(Health)


def health() -> Operation[Health]:
    return Operation("GET", "/health", _HEALTH)
