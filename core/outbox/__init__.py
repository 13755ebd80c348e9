"""Letters delivered where people are (docs/delivery.md): contacts, the outbox and the deliverer.

``tables`` (the outbox's tables, a rider of the log: jobs are written in the transaction that records their
consequence), ``jobs`` (what becomes a job: the projector the wiring registers; a receipt's row),
``contacts`` (who receives what: personal information, outside the log, changed and deleted at will),
``channels`` (the channel plugins behind the ``deliver_notice`` hook), ``deliverer`` (claims, sends, records
the receipt, retries with backoff, dead letters), ``status`` (each job's state for the pages, the CLI and
``explain``). It stands beside ``core.audit``: it reads the record through the platform it is given and may
import ``core.read`` and everything below it. What a message says is rendered by the caller (the web layer's
``web.letters``), handed to the deliverer as a function.
"""
