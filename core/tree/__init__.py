"""The Merkle tree of the log (RFC 9162): ``merkle`` (leaves, nodes, roots and proofs; standard library only,
shipped in every audit bundle's verify.py) and ``writer`` (the tree kept in the store, grown in the
transaction of every write as a rider of the log, and read back for heads and proofs).

May import: ``core.store`` and the base.
"""
