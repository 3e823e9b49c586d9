"""A Redis lock store that really serialises one conversation across several Rasa servers.

Rasa 3.6's `RedisLockStore` changes a conversation's ticket lock by reading it, changing
it in memory and writing it back, with nothing in between to stop another server doing
the same. Two servers receiving messages of one conversation at the same moment can thus
both draw the same ticket and process both messages at once: one turn's events then
overwrite the other's (tests/server/test_scale_out.py lost a message that way). Here every
change (issue a ticket, drop expired tickets, finish serving) is one Redis transaction
(WATCH / MULTI / EXEC, retried when the lock changed meanwhile), and the lock is deleted
only if nobody took a ticket in the meantime.

A ticket also waits differently. In Rasa every ticket expires after its lifetime
(TICKET_LOCK_LIFETIME, 60 s), also one that is still waiting its turn; a server that dies
in the middle of a turn leaves its ticket behind, and the next message of that
conversation, waiting on another server, used to see its own ticket expire together with
the dead one and then wait for a ticket that no longer existed, until the web server gave
up on the request. Here a waiting ticket's lifetime is renewed while it waits, so only
the tickets nobody looks after (those of a dead server) run out.

Used in deploy/endpoints.production.yml as `type: bot.server.lock_store.AtomicRedisLockStore`,
with the same settings as Rasa's `redis` lock store.
"""
from __future__ import annotations

import asyncio
import json
import logging
import time
from typing import Any, Callable, Optional, Text, Tuple

import redis
from rasa.core.lock import TicketLock
from rasa.core.lock_store import LOCK_LIFETIME, LockError, RedisLockStore

logger = logging.getLogger(__name__)
Change = Callable[[Optional[TicketLock]], Tuple[Optional[TicketLock], Any]]


class AtomicRedisLockStore(RedisLockStore):
    def __init__(self, endpoint_config: Any = None, **kwargs: Any) -> None:
        if endpoint_config is not None:  # how Rasa builds a lock store named by class path
            kwargs = {"host": endpoint_config.url or "localhost", **endpoint_config.kwargs}
        super().__init__(**kwargs)

    def _change(self, conversation_id: Text, change: Change) -> Any:
        """Apply `change` to the stored lock atomically; a None lock is deleted."""
        key = self.key_prefix + conversation_id
        with self.red.pipeline() as pipe:
            while True:
                try:
                    pipe.watch(key)
                    raw = pipe.get(key)
                    lock, result = change(TicketLock.from_dict(json.loads(raw)) if raw else None)
                    pipe.multi()
                    if lock is None:
                        pipe.delete(key)
                    else:
                        pipe.set(key, lock.dumps())
                    pipe.execute()
                    return result
                except redis.WatchError:  # another server changed the lock: read it again
                    continue

    def issue_ticket(self, conversation_id: Text, lock_lifetime: float = LOCK_LIFETIME) -> int:
        def issue(lock: Optional[TicketLock]) -> Tuple[TicketLock, int]:
            lock = lock or self.create_lock(conversation_id)
            return lock, lock.issue_ticket(lock_lifetime)

        try:
            return self._change(conversation_id, issue)
        except Exception as error:
            raise LockError(f"Error while acquiring lock. Error:\n{error}") from error

    def update_lock(self, conversation_id: Text) -> None:
        def drop_expired(lock: Optional[TicketLock]) -> Tuple[Optional[TicketLock], None]:
            if lock is not None:
                lock.remove_expired_tickets()
            return lock, None

        self._change(conversation_id, drop_expired)

    def finish_serving(self, conversation_id: Text, ticket_number: int) -> None:
        def finish(lock: Optional[TicketLock]) -> Tuple[Optional[TicketLock], None]:
            if lock is not None:
                lock.remove_ticket_for(ticket_number)
            return lock, None

        self._change(conversation_id, finish)

    def cleanup(self, conversation_id: Text, ticket_number: int) -> None:
        def finish_and_maybe_delete(lock: Optional[TicketLock]) -> Tuple[Optional[TicketLock], None]:
            if lock is not None:
                lock.remove_ticket_for(ticket_number)
                if not lock.is_someone_waiting():
                    lock = None
            return lock, None

        self._change(conversation_id, finish_and_maybe_delete)

    async def _acquire_lock(self, conversation_id: Text, ticket: int, wait_time_in_seconds: float) -> TicketLock:
        """Rasa's wait loop, renewing the waiting ticket's lifetime at every look."""
        while True:
            lock = self.get_lock(conversation_id)
            if not lock:  # deleted meanwhile: as Rasa, give up
                break
            if not lock.is_locked(ticket):
                return lock
            await asyncio.sleep(wait_time_in_seconds)
            self._renew_and_drop_expired(conversation_id, ticket)
        raise LockError(f"Could not acquire lock for conversation_id '{conversation_id}'.")

    def _renew_and_drop_expired(self, conversation_id: Text, ticket_number: int) -> None:
        def renew(lock: Optional[TicketLock]) -> Tuple[Optional[TicketLock], None]:
            if lock is not None:
                for ticket in lock.tickets:
                    if ticket.number == ticket_number:
                        ticket.expires = max(ticket.expires, time.time() + LOCK_LIFETIME)
                lock.remove_expired_tickets()
            return lock, None

        self._change(conversation_id, renew)
