"""The auditor's tools: the Merkle tree kept with the log (``tree``, ``merkle``), heads, proofs and
``audit verify`` (``log``), explanations and histories (``explain``), what-if runs (``whatif``), verified
reads (``verified``) and the bundle an outsider checks with the standard library alone (``bundle``,
``bundle_verifier``)."""
