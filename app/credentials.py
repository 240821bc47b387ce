"""Where the login tokens live: one interface, three stores. Tokens only, never the account's password; the one
other secret kept is the generated credentials of fast-channel appeals (快速通道), which are their only key.

- desktop: the system keyring (Secret Service, Keychain, Credential Locker), called in a thread;
- web and mobile: flet-secure-storage, which keeps them on the citizen's device, not on our server;
- otherwise: memory only, and the app says that the login will not be remembered.
"""

import asyncio
import contextlib
import json
import logging
from typing import Protocol

import flet as ft
import keyring
import keyring.errors
from flet_secure_storage import SecureStorage
from pydantic import BaseModel, TypeAdapter, ValidationError

from api_client.models import FastChannelCredentials, TokenPair

log = logging.getLogger("yiwang.credentials")

SERVICE_NAME = "yiwang"
ENTRY = "tokens"
DEVICE_ENTRY = "device"  # outlives log-outs: the server knows this device by it (see api_client set_tokens)
FAST_CHANNEL_ENTRY = "fast-channel"  # outlives log-outs too: these appeals belong to no account until linked
FAST_CHANNEL_KEPT = 20  # as many as one link request takes (api_client FastChannelLink)


class FastChannelCase(BaseModel):
    """A fast-channel appeal submitted on this device: its number and title to list it, its credentials to open it."""

    number: str
    title: str
    credentials: FastChannelCredentials


class CredentialStore(Protocol):
    remembers: bool
    """False when the login is lost as soon as the app closes."""

    async def load(self) -> TokenPair | None: ...

    async def save(self, tokens: TokenPair | None) -> None: ...

    async def load_device_token(self) -> str | None: ...

    async def save_device_token(self, token: str) -> None: ...

    async def load_fast_channel(self) -> list[FastChannelCase]: ...

    async def save_fast_channel(self, cases: list[FastChannelCase]) -> None: ...


_FAST_CHANNEL = TypeAdapter(list[FastChannelCase])


def _decode_cases(raw: str | None) -> list[FastChannelCase]:
    if not raw:
        return []
    try:
        return _FAST_CHANNEL.validate_json(raw)
    except ValidationError:
        return []


def _encode_cases(cases: list[FastChannelCase]) -> str:
    return _FAST_CHANNEL.dump_json(cases[-FAST_CHANNEL_KEPT:]).decode()


def _decode(raw: str | None) -> TokenPair | None:
    if not raw:
        return None
    try:
        return TokenPair.model_validate(json.loads(raw))
    except (ValueError, ValidationError):
        return None


class MemoryStore:
    remembers = False

    def __init__(self) -> None:
        self._tokens: TokenPair | None = None
        self._device_token: str | None = None
        self._cases: list[FastChannelCase] = []

    async def load(self) -> TokenPair | None:
        return self._tokens

    async def save(self, tokens: TokenPair | None) -> None:
        self._tokens = tokens

    async def load_device_token(self) -> str | None:
        return self._device_token

    async def save_device_token(self, token: str) -> None:
        self._device_token = token

    async def load_fast_channel(self) -> list[FastChannelCase]:
        return list(self._cases)

    async def save_fast_channel(self, cases: list[FastChannelCase]) -> None:
        self._cases = list(cases[-FAST_CHANNEL_KEPT:])


class KeyringStore:
    remembers = True

    async def load(self) -> TokenPair | None:
        return _decode(await asyncio.to_thread(keyring.get_password, SERVICE_NAME, ENTRY))

    async def save(self, tokens: TokenPair | None) -> None:
        if tokens is None:
            with contextlib.suppress(keyring.errors.PasswordDeleteError):
                await asyncio.to_thread(keyring.delete_password, SERVICE_NAME, ENTRY)
            return
        await asyncio.to_thread(keyring.set_password, SERVICE_NAME, ENTRY, tokens.model_dump_json())

    async def load_device_token(self) -> str | None:
        return await asyncio.to_thread(keyring.get_password, SERVICE_NAME, DEVICE_ENTRY)

    async def save_device_token(self, token: str) -> None:
        await asyncio.to_thread(keyring.set_password, SERVICE_NAME, DEVICE_ENTRY, token)

    async def load_fast_channel(self) -> list[FastChannelCase]:
        return _decode_cases(await asyncio.to_thread(keyring.get_password, SERVICE_NAME, FAST_CHANNEL_ENTRY))

    async def save_fast_channel(self, cases: list[FastChannelCase]) -> None:
        await asyncio.to_thread(keyring.set_password, SERVICE_NAME, FAST_CHANNEL_ENTRY, _encode_cases(cases))


class SecureStorageStore:
    remembers = True

    def __init__(self, storage: SecureStorage) -> None:
        self._storage = storage  # held here: an unreferenced service is dropped after the next event

    async def load(self) -> TokenPair | None:
        return _decode(await self._storage.get(ENTRY))

    async def save(self, tokens: TokenPair | None) -> None:
        if tokens is None:
            await self._storage.remove(ENTRY)
        else:
            await self._storage.set(ENTRY, tokens.model_dump_json())

    async def load_device_token(self) -> str | None:
        return await self._storage.get(DEVICE_ENTRY) or None

    async def save_device_token(self, token: str) -> None:
        await self._storage.set(DEVICE_ENTRY, token)

    async def load_fast_channel(self) -> list[FastChannelCase]:
        return _decode_cases(await self._storage.get(FAST_CHANNEL_ENTRY))

    async def save_fast_channel(self, cases: list[FastChannelCase]) -> None:
        await self._storage.set(FAST_CHANNEL_ENTRY, _encode_cases(cases))


def _keyring_usable() -> bool:
    """A real keyring backend answers; the 'fail' and plaintext-file backends do not count."""
    backend = keyring.get_keyring()
    name = type(backend).__module__ + "." + type(backend).__name__
    if "fail" in name.lower() or "plaintext" in name.lower() or getattr(backend, "priority", 0) <= 0:
        return False
    try:
        backend.get_password(SERVICE_NAME, "probe")
    except (keyring.errors.KeyringError, RuntimeError):
        return False
    return True


async def open_store(page: ft.Page) -> CredentialStore:
    if page.web or page.platform in (ft.PagePlatform.ANDROID, ft.PagePlatform.IOS):
        return SecureStorageStore(SecureStorage())
    if await asyncio.to_thread(_keyring_usable):
        return KeyringStore()
    log.warning("no usable keyring: the login will not be remembered")
    return MemoryStore()
