# --- the bundle verifier (standard library only) -------------------------------------------------------
# `sankao audit export` writes this file, after the Merkle functions above it, as verify.py in the bundle:
#
#     python3 verify.py BUNDLE_DIR [--proof PROOF.json ...]
#
#     python3 verify.py BUNDLE_DIR --head 1012:dcd298b7…   (a head published in a bulletin)
#
# It rebuilds every leaf from events.jsonl (leaf encoding: manifest.json and the top of this file), the
# root of the whole log and of every head the log recorded (its HeadRecorded events, at month closes) and
# every head given with --head, and checks each proof file given (as written by `sankao audit prove` or
# `sankao audit consistency`). It prints what holds and what fails, and exits 1 on any failure.
#
# An access token's TokenIssued is exported redacted (a token's digest never leaves the store): its state
# without "digest", with "redacted": ["digest"] and "leaf", the leaf hash Sankao stored for it. Its leaf is
# taken as given (its content cannot be checked, and the output says how many were); every other leaf is
# rebuilt. Only a TokenIssued of the tokens stream, at that stream's next version, may be redacted: a line
# of any other event marked so is refused.

try:  # imported by Sankao; in verify.py the Merkle functions stand above instead
    from core.tree.merkle import (ProofError, _hash, leaf_bytes, leaf_hash, list_mth, verify_consistency,
                                   verify_inclusion)
except ImportError:
    pass

import argparse as _argparse
import json as _json
import sys as _sys
import uuid as _uuid
from pathlib import Path as _Path

# the access tokens' stream (core.record.state.stream_id("tokens")): the only one whose events may come redacted
_TOKENS_STREAM = _uuid.uuid5(_uuid.uuid5(_uuid.NAMESPACE_URL, "https://sankao.invalid/streams"), "tokens:").hex


class _Failure(Exception):
    pass


def _given_leaf(event, number):
    """The leaf hash a redacted event carries, once it is one that may be redacted."""
    position, kind = event["position"], event["type"]
    if not (isinstance(kind, str) and kind.endswith(":TokenIssued") and event["stream"] == _TOKENS_STREAM):
        raise _Failure(f"events.jsonl line {number}: position {position} ({kind}) is marked redacted; only an "
                       "access token's TokenIssued may be: the bundle was changed")
    if event["redacted"] != ["digest"]:
        raise _Failure(f"events.jsonl line {number}: position {position} leaves out {event['redacted']!r}; a "
                       "token's redaction leaves out [\"digest\"] only: the bundle was changed")
    try:
        return _hash("a redacted event's leaf hash", bytes.fromhex(event["leaf"]))
    except (ValueError, TypeError, ProofError) as exc:
        raise _Failure(f"events.jsonl line {number}: position {position}: {exc}: the bundle was changed") from None


def _load_bundle(folder):
    """The manifest, every leaf hash, the heads the log itself recorded (its HeadRecorded events) and how many
    events were redacted (their leaves taken as given)."""
    try:
        manifest = _json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
        handle = open(folder / "events.jsonl", "rb")
    except (OSError, ValueError) as exc:
        raise _Failure(f"{folder} is not a readable bundle: {exc}") from None
    hashes, heads, expected, redacted, tokens_version = [], [], 1, 0, 0
    with handle:
        for number, raw in enumerate(handle, 1):
            try:
                event = _json.loads(raw.decode("utf-8"))
                position, stream, version = event["position"], event["stream"], event["version"]
                kind, state = event["type"], event["state"].encode("utf-8")
                data = leaf_bytes(position, stream, version, kind, state)
            except (ValueError, KeyError, TypeError, AttributeError, UnicodeError) as exc:
                raise _Failure(f"events.jsonl line {number} is not an event as exported ({type(exc).__name__}: "
                               f"{exc}): the bundle was changed or cut") from None
            if position != expected:
                raise _Failure(f"events.jsonl line {number}: position {position}, expected {expected} "
                               "(an event is missing, inserted or out of order)")
            if "redacted" in event or "leaf" in event:
                try:
                    hashes.append(_given_leaf(event, number))
                except KeyError as exc:
                    raise _Failure(f"events.jsonl line {number}: a redacted event without {exc}: the bundle was "
                                   "changed") from None
                redacted += 1
            else:
                hashes.append(leaf_hash(data))
            if stream == _TOKENS_STREAM:
                if version != tokens_version + 1:
                    raise _Failure(f"events.jsonl line {number}: position {position} is version {version} of the "
                                   f"tokens' stream, expected {tokens_version + 1}: the bundle was changed")
                tokens_version = version
            if kind.endswith(":HeadRecorded"):
                try:
                    head = _json.loads(state)
                    heads.append({"size": head["size"], "root": head["root"], "label": head.get("label", ""),
                                  "position": position})
                except (ValueError, KeyError) as exc:
                    raise _Failure(f"events.jsonl line {number}: a recorded head that cannot be read ({exc})") from None
            expected += 1
    return manifest, hashes, heads, redacted


def _check_proof(proof, hashes, mth):
    """None when the proof holds against the bundle, else what fails (a proof RFC 9162 refuses is refused)."""
    size = proof["size"]
    if not isinstance(size, int) or not 1 <= size <= len(hashes):
        return f"the proof is of a tree of {size} leaves, the bundle holds {len(hashes)}"
    root = mth(0, size)
    try:
        if "root" in proof:
            claimed = _hash("the proof's root", bytes.fromhex(proof["root"]))
            if claimed != root:
                return f"the proof's root {proof['root']} is not the bundle's root at size {size} ({root.hex()})"
        if proof["kind"] == "inclusion":
            position = proof["position"]
            if not isinstance(position, int) or not 1 <= position <= size:
                return f"refused: position {position} is not in a tree of {size} leaves (positions 1 to {size})"
            leaf = _hash("the proof's leaf hash", bytes.fromhex(proof["leaf"]))
            if hashes[position - 1] != leaf:
                return f"the leaf of position {position} in the bundle is not {proof['leaf']}"
            if not verify_inclusion(leaf, position - 1, size, [bytes.fromhex(p) for p in proof["path"]], root):
                return f"the path does not lead from position {position} to the root"
            return None
        old = proof["old_size"]
        if not verify_consistency(old, size, bytes.fromhex(proof["old_root"]), root,
                                  [bytes.fromhex(p) for p in proof["proof"]]):
            return f"the log at {old} leaves with root {proof['old_root']} is not a prefix of this one"
    except ProofError as exc:
        return f"refused: {exc}"
    return None


def _published(text):
    size, _, root = text.partition(":")
    try:
        if len(bytes.fromhex(root)) != 32:
            raise ValueError
        return int(size), root.lower()
    except ValueError:
        raise _argparse.ArgumentTypeError(f"{text!r} is not SIZE:ROOT (a size and a 64-hex-digit root)") from None


def main(argv=None):
    parser = _argparse.ArgumentParser(description="Verify a Sankao audit bundle with the standard library only.")
    parser.add_argument("bundle", type=_Path)
    parser.add_argument("--proof", type=_Path, action="append", default=[],
                        help="a proof (JSON from sankao audit prove / consistency) to check against the bundle")
    parser.add_argument("--head", type=_published, action="append", default=[], metavar="SIZE:ROOT",
                        help="a head published earlier (in a monthly bulletin): the bundle's log must have had "
                             "exactly this root at this size")
    args = parser.parse_args(argv)
    try:
        manifest, hashes, heads, redacted = _load_bundle(args.bundle)
    except _Failure as exc:
        print(f"FAIL {exc}")
        return 1
    mth = list_mth(hashes)
    failures = 0
    root = mth(0, len(hashes))
    if len(hashes) != manifest.get("size") or root.hex() != manifest.get("root"):
        print(f"FAIL the bundle's {len(hashes)} events give root {root.hex()}; the manifest says "
              f"{manifest.get('size')} events, root {manifest.get('root')}")
        failures += 1
    else:
        print(f"ok   {len(hashes)} events, root {root.hex()}")
    if redacted:
        print(f"note {redacted} token events redacted: their leaf hashes taken as given (each one's digest left "
              "out; the rest of it is shown but not checked)")
    checks = [(h["size"], h["root"], f"head recorded at position {h['position']} ({h['label']})") for h in heads]
    checks += [(size, published, "published head") for size, published in args.head]
    for size, expected, what in checks:
        if not 0 <= size <= len(hashes):
            print(f"FAIL {what}: size {size} is beyond the bundle's {len(hashes)} events")
            failures += 1
        elif mth(0, size).hex() != expected:
            print(f"FAIL {what}: the events give root {mth(0, size).hex()} at size {size}, the head says {expected}")
            failures += 1
        else:
            print(f"ok   {what}: size {size} root {expected}")
    for path in args.proof:
        what = path
        try:
            proof = _json.loads(path.read_text(encoding="utf-8"))
            what = (f"{path}: inclusion of position {proof['position']} in the tree of {proof['size']}"
                    if proof["kind"] == "inclusion" else
                    f"{path}: the tree of {proof['old_size']} is a prefix of the tree of {proof['size']}")
            problem = _check_proof(proof, hashes, mth)
        except (OSError, ValueError, KeyError, TypeError) as exc:
            problem = f"not a proof as sankao audit prove / consistency writes ({type(exc).__name__}: {exc})"
        print(f"FAIL {what}: {problem}" if problem else f"ok   {what}")
        failures += bool(problem)
    print("the bundle verifies" if not failures else f"{failures} check(s) failed")
    return 1 if failures else 0


if __name__ == "__main__":
    _sys.exit(main())
