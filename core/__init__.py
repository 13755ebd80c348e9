"""Sankao's core, in layers (docs/architecture.md; setup.cfg's import-linter contracts enforce them), lowest first:

- the base, at this folder's root: ``errors``, ``messages`` (the catalog, English and Chinese), ``glossary``,
  ``clock`` (local dates, UTC instants, periods), ``report`` (how figures are written out), ``samples`` (the
  public years, the demo and the year generator); they import only ``events``;
- ``store``: one event log and how to write beside it in the same transaction;
- ``tree``: the Merkle tree that rides along with the log (RFC 9162);
- ``record``: the write side (commands, the rules of the record, the ledger, tokens and access);
- ``rules``: the plugin machinery (hookspecs, model, views, the plugin manager, the rule book); ``hookspecs``
  and ``model`` at this root are the plugin API's public names for ``rules.hookspecs`` and ``rules.model``;
- ``engine``: scoring (pure), its runner, month closes, the annual evaluation, rules trials;
- ``read``: the read-model tables and the queries;
- ``audit``: the auditor's tools;
- ``bootstrap``: the wiring (``Platform``): what rides along with the log, and every part over one store.

Each layer imports only the layers below it.
"""
