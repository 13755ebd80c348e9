"""Receipts: what the deliverer recorded when a receiver accepted a letter, a sheet or a result (docs/delivery.md).

A consequence that must reach someone (a ``NoticeIssued``, a unit's line of a ``BoardFrozen``, a missed
self-check deadline) becomes a delivery job; each time a receiver accepts it (an SMTP server queues the
mail, a webhook answers 2xx) the deliverer records one ``LetterDelivered`` on the job's own stream. It names
the receiver by role and channel, never by address: addresses are personal information and live outside the
log, where they can be changed and deleted.
"""

from __future__ import annotations

from dataclasses import dataclass

from eventsourcing.domain import DomainEvent


@dataclass(frozen=True)
class LetterDelivered(DomainEvent):
    """A receiver accepted a delivery (``timestamp``: when, in UTC).

    One stream per job (``delivery:JOB``), one event per receiver that accepted it.

    :ivar job: the job, ``POSITION.UNIT.KIND`` (``selfcheck.PERIOD.UNIT`` for a missed self-check).
    :ivar cause: the log position of the consequence delivered (0 for a missed self-check).
    :ivar unit: the unit it concerns.
    :ivar kind: ``letter``, ``sheet``, ``result``, ``accountability`` or ``self_check``.
    :ivar channel: the channel plugin that delivered it (``email``, ``webhook``, …).
    :ivar role: the receiver's role for the unit (``head``, ``liaison``), never the address.
    :ivar receiver: the contact's opaque id (random, kept with the address outside the log): one receipt per
        job and receiver.
    :ivar key: the delivery key sent with it (a header, a Message-ID): the same on every attempt.
    :ivar answer: what the receiver answered (an SMTP reply with its queue id, an HTTP status).
    :ivar attempts: the attempts it took.
    """

    job: str
    cause: int
    unit: str
    kind: str
    channel: str
    role: str
    receiver: str
    key: str
    answer: str
    attempts: int
