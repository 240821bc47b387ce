"""Account operations for the views: the only place that calls the accounts API."""

from api_client import APIConnectionError, AsyncClient, AuthenticationError, ops
from api_client.models import Profile, ProfileUpdate, RegisterRequest
from app.credentials import CredentialStore


class AccountService:
    def __init__(self, api: AsyncClient, store: CredentialStore) -> None:
        self._api = api
        self._store = store

    async def restore(self) -> Profile | None:
        """The remembered login, if any. Offline, the tokens are kept for later and None is returned."""
        tokens = await self._store.load()
        if tokens is None:
            return None
        self._api.tokens = tokens
        try:
            return await self._api.send(ops.accounts.me())
        except AuthenticationError:
            self._api.set_tokens(None)
        except APIConnectionError:
            pass
        return None

    async def login(self, phone: str, password: str) -> Profile:
        tokens = await self._api.send(ops.accounts.login(phone, password, self._api.device_token))
        self._api.set_tokens(tokens)
        return await self._api.send(ops.accounts.me())

    async def register(self, phone: str, password: str, name: str) -> Profile:
        body = RegisterRequest(phone=phone, password=password, name=name)
        tokens = await self._api.send(ops.accounts.register(body))
        self._api.set_tokens(tokens)
        return await self._api.send(ops.accounts.me())

    async def logout(self) -> None:
        """Forgets the login on this device even when the server cannot be told."""
        try:
            await self._api.send(ops.accounts.logout())
        except (APIConnectionError, AuthenticationError):
            pass
        finally:
            self._api.set_tokens(None)

    async def update_profile(self, change: ProfileUpdate) -> Profile:
        return await self._api.send(ops.accounts.update_me(change))
