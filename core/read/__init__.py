"""The read side: the read-model tables (``tables``: written beside the log, rebuilt from it) and the
queries of docs/assessment.md §7-§8 (``queries``: ``reading``, ``boards``, ``standings``, ``listings``), and the
office's page views composed from them (``office``). Nothing here records a fact or scores.

May import: ``core.engine`` and every layer below it.
"""
