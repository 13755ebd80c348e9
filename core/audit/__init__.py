"""The auditor's tools: ``audit verify`` (``log``, ``checks``), explanations and histories (``explain``),
what-if runs (``whatif``), verified reads (``verified``, ``verified_lists``) and the bundle an outsider checks with the standard
library alone (``bundle``, ``bundle_verifier``). The tree itself is ``core.tree``.

May import: ``core.read`` and every layer below it; never the wiring (a replay is given its platform factory).
"""
