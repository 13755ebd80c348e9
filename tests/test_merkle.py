"""The Merkle tree is Certificate Transparency's (RFC 9162 §2.1): its published vectors, and proofs that hold
exactly when they should, on trees of any size."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from core.tree import merkle
LEAVES = [bytes.fromhex(h) for h in ("", "00", "10", "2021", "3031", "40414243", "5051525354555657",
                                      "606162636465666768696a6b6c6d6e6f")]
ROOTS = ["e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
         "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
         "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
         "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
         "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
         "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
         "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
         "ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
         "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328"]
INCLUSION = [  # (0-based leaf index, tree size, path)
    (0, 8, ["96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
            "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
            "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4"]),
    (5, 8, ["bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
            "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
            "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7"]),
    (0, 1, []),
]
CONSISTENCY = [  # (old size, new size, proof)
    (1, 1, []),
    (1, 8, ["96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
            "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
            "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4"]),
    (6, 8, ["0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a",
            "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
            "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7"]),
    (2, 5, ["5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
            "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b"]),
    (2, 8, ["5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
            "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4"]),
]
HASHES = [merkle.leaf_hash(leaf) for leaf in LEAVES]


def test_the_published_roots_of_trees_of_0_to_8_leaves():
    for size in range(9):
        assert merkle.root_of(HASHES[:size]).hex() == ROOTS[size]


def test_the_published_inclusion_proofs():
    for index, size, path in INCLUSION:
        mth = merkle.list_mth(HASHES[:size])
        assert [p.hex() for p in merkle.inclusion_path(mth, index, size)] == path
        root = bytes.fromhex(ROOTS[size])
        assert merkle.verify_inclusion(HASHES[index], index, size, [bytes.fromhex(p) for p in path], root)


def test_the_published_consistency_proofs():
    for old, size, proof in CONSISTENCY:
        mth = merkle.list_mth(HASHES[:size])
        assert [p.hex() for p in merkle.consistency_proof(mth, old, size)] == proof
        assert merkle.verify_consistency(old, size, bytes.fromhex(ROOTS[old]), bytes.fromhex(ROOTS[size]),
                                         [bytes.fromhex(p) for p in proof])


def _naive_root(hashes: list[bytes]) -> bytes:
    if not hashes:
        return merkle.EMPTY
    if len(hashes) == 1:
        return hashes[0]
    k = 1
    while k * 2 < len(hashes):
        k *= 2
    return merkle.node_hash(_naive_root(hashes[:k]), _naive_root(hashes[k:]))


trees = st.lists(st.binary(max_size=12), min_size=1, max_size=140, unique=True)


@settings(max_examples=200, deadline=None)
@given(trees, st.data())
def test_proofs_hold_exactly_when_they_should(leaves, data):
    hashes = [merkle.leaf_hash(x) for x in leaves]
    size = len(hashes)
    mth = merkle.list_mth(hashes)
    root = mth(0, size)
    assert root == _naive_root(hashes)
    index = data.draw(st.integers(0, size - 1))
    path = merkle.inclusion_path(mth, index, size)
    assert merkle.verify_inclusion(hashes[index], index, size, path, root)
    assert not merkle.verify_inclusion(merkle.leaf_hash(b"forged"), index, size, path, root)
    if size > 1:
        assert not merkle.verify_inclusion(hashes[index], (index + 1) % size, size, path, root)
    if path:
        broken = list(path)
        broken[data.draw(st.integers(0, len(path) - 1))] = merkle.EMPTY
        assert not merkle.verify_inclusion(hashes[index], index, size, broken, root)
    old = data.draw(st.integers(1, size))
    proof = merkle.consistency_proof(mth, old, size)
    old_root = mth(0, old)
    assert merkle.verify_consistency(old, size, old_root, root, proof)
    assert not merkle.verify_consistency(old, size, merkle.leaf_hash(b"other"), root, proof)
    if old < size:
        changed = list(hashes)
        changed[data.draw(st.integers(0, old - 1))] = merkle.leaf_hash(b"rewritten")
        assert not merkle.verify_consistency(old, size, old_root, _naive_root(changed), proof)


# -- what RFC 9162 and transparency-dev/merkle refuse (issue #18) ----------------------------------------------

def test_a_consistency_proof_from_the_empty_tree_is_refused_whatever_its_old_root():
    """From size 0 nothing is provable (every log extends the empty one): the check refuses it instead of
    passing any old root with an empty proof, and no such proof is made."""
    import pytest
    mth = merkle.list_mth(HASHES)
    root = mth(0, 8)
    for old_root in (merkle.EMPTY, bytes(32), merkle.leaf_hash(b"anything")):
        with pytest.raises(merkle.ProofError, match="empty tree"):
            merkle.verify_consistency(0, 8, old_root, root, [])
    with pytest.raises(merkle.ProofError, match="empty tree"):
        merkle.verify_consistency(0, 0, merkle.EMPTY, merkle.EMPTY, [])
    with pytest.raises(merkle.ProofError, match="empty tree"):
        merkle.consistency_proof(mth, 0, 8)
    with pytest.raises(merkle.ProofError, match="cannot be a prefix"):
        merkle.verify_consistency(9, 8, root, root, [])


def test_an_inclusion_proof_needs_an_index_below_the_size_and_32_byte_hashes():
    import pytest
    mth = merkle.list_mth(HASHES)
    root, path = mth(0, 8), merkle.inclusion_path(mth, 5, 8)
    assert merkle.verify_inclusion(HASHES[5], 5, 8, path, root)
    with pytest.raises(merkle.ProofError, match="leaf hash must be a 32-byte"):
        merkle.verify_inclusion(b"", 0, 1, [], b"")  # an empty leaf and root "proved" each other
    with pytest.raises(merkle.ProofError, match="root must be a 32-byte"):
        merkle.verify_inclusion(HASHES[1], 0, 1, [], HASHES[1][:31])
    with pytest.raises(merkle.ProofError, match="hash 2 of the path"):
        merkle.verify_inclusion(HASHES[5], 5, 8, [path[0], b"", path[2]], root)
    for index, size in ((0, 0), (8, 8), (9, 8), (-1, 8)):
        with pytest.raises(merkle.ProofError, match="0 <= index < size"):
            merkle.verify_inclusion(HASHES[1], index, size, path, root)
    with pytest.raises(merkle.ProofError, match="old root must be a 32-byte"):
        merkle.verify_consistency(2, 8, b"", root, merkle.consistency_proof(mth, 2, 8))
