"""The read side: the read model tables (``models``), the queries of docs/assessment.md §7 (``queries``)
and how figures are written out (``report``). It reads the store and the engine's pure figures;
nothing here records a fact or scores."""
