"""Credential stores: tokens only, keyring off the event loop, an honest fallback."""

import threading
from collections.abc import Iterator

import keyring
import keyring.errors
import pytest
from keyring.backend import KeyringBackend
from keyring.backends import fail

from api_client.models import FastChannelCredentials, TokenPair
from app import credentials

TOKENS = TokenPair(access_token="a", refresh_token="r", expires_in=60)


class DictKeyring(KeyringBackend):
    priority = 1  # type: ignore[assignment]

    def __init__(self) -> None:
        super().__init__()
        self.values: dict[tuple[str, str], str] = {}
        self.threads: set[str] = set()

    def get_password(self, service: str, username: str) -> str | None:
        self.threads.add(threading.current_thread().name)
        return self.values.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self.threads.add(threading.current_thread().name)
        self.values[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        if self.values.pop((service, username), None) is None:
            raise keyring.errors.PasswordDeleteError("no such entry")


@pytest.fixture
def dict_keyring() -> Iterator[DictKeyring]:
    previous = keyring.get_keyring()
    backend = DictKeyring()
    keyring.set_keyring(backend)
    yield backend
    keyring.set_keyring(previous)


async def test_keyring_store_round_trip_off_the_event_loop(dict_keyring: DictKeyring) -> None:
    store = credentials.KeyringStore()
    await store.save(TOKENS)
    assert await store.load() == TOKENS
    assert threading.main_thread().name not in dict_keyring.threads
    stored = next(iter(dict_keyring.values.values()))
    assert "access_token" in stored and "password" not in stored
    await store.save(None)
    await store.save(None)  # forgetting twice is fine
    assert await store.load() is None


async def test_corrupt_entry_reads_as_logged_out(dict_keyring: DictKeyring) -> None:
    dict_keyring.values[(credentials.SERVICE_NAME, credentials.ENTRY)] = "{not json"
    assert await credentials.KeyringStore().load() is None


def test_fail_keyring_is_not_usable(dict_keyring: DictKeyring) -> None:
    assert credentials._keyring_usable()
    keyring.set_keyring(fail.Keyring())
    assert not credentials._keyring_usable()


async def test_memory_store_says_it_does_not_remember() -> None:
    store = credentials.MemoryStore()
    assert store.remembers is False
    await store.save(TOKENS)
    assert await store.load() == TOKENS


async def test_device_token_outlives_the_log_out(dict_keyring: DictKeyring) -> None:
    for store in (credentials.KeyringStore(), credentials.MemoryStore()):
        assert await store.load_device_token() is None
        await store.save(TOKENS)
        await store.save_device_token("device-1")
        await store.save(None)  # log-out forgets the tokens, not the device
        assert await store.load() is None and await store.load_device_token() == "device-1"


def _case(number: int) -> credentials.FastChannelCase:
    return credentials.FastChannelCase(
        number=f"Z{number:04d}",
        title=f"诉求{number}",
        credentials=FastChannelCredentials(username=f"kt{number}", password="ABCDEFGHJKMNPQRS"),
    )


async def test_fast_channel_cases_outlive_the_log_out_and_keep_the_newest(dict_keyring: DictKeyring) -> None:
    for store in (credentials.KeyringStore(), credentials.MemoryStore()):
        assert await store.load_fast_channel() == []
        await store.save_fast_channel([_case(n) for n in range(credentials.FAST_CHANNEL_KEPT + 3)])
        await store.save(None)
        kept = await store.load_fast_channel()
        assert [c.number for c in kept] == [f"Z{n:04d}" for n in range(3, credentials.FAST_CHANNEL_KEPT + 3)]


async def test_corrupt_fast_channel_entry_reads_as_none_kept(dict_keyring: DictKeyring) -> None:
    dict_keyring.values[(credentials.SERVICE_NAME, credentials.FAST_CHANNEL_ENTRY)] = '[{"number": 1}'
    assert await credentials.KeyringStore().load_fast_channel() == []
