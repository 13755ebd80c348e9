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
# `sankao audit consistency`). It recomputes every spot check's candidates and sample from the events before
# it (docs/assessment.md §9) and checks a seed that names a head (SIZE:ROOT) against the events' root at that
# size. It prints what holds and what fails, and exits 1 on any failure.
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
import hashlib as _hashlib
import json as _json
import re as _re
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


class _Draws:
    """Every spot check (SpotCheckDrawn) recomputed from the events before it, as `sankao audit draw` does: its
    candidates are the projects signed or landed within the draw's month and not withdrawn by its end, as their
    facts left them (corrections, a misreported finding's included); its sample the `size` of them with the
    smallest sha256(seed + "|" + period + "|" + project), then by project id."""

    FACTS = {"ProjectPlanned": (), "ProjectSigned": ("signed_on",), "ProjectLanded": ("landed_on",),
             "ProjectWithdrawn": ("withdrawn_on",), "FactCorrected": ()}
    DATES = ("signed_on", "landed_on", "withdrawn_on")
    HEAD_SEED = _re.compile(r"([0-9]+):([0-9a-f]{64})")

    def __init__(self):
        self.projects = {}  # project id -> {"unit": ..., "signed_on": "YYYY-MM-DD" or None, ...}
        self.found = []  # per draw: (what, problems, head) in log order; head (size, root) when the seed names one

    @staticmethod
    def _day(value):
        """A stored date ({"_type_": "date_iso", "_data_": "2023-02-12"}) as its ISO text."""
        value = value["_data_"] if isinstance(value, dict) else value
        if value is not None and not (isinstance(value, str) and _re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", value)):
            raise ValueError(f"{value!r} is not a date")
        return value

    def see(self, number, position, kind, state):
        name = kind.rpartition(":")[2]
        if name == "SpotCheckDrawn":
            return self._draw(position, state)
        if name not in self.FACTS:
            return
        try:
            data = _json.loads(state)
            project = data["project"]
            if name == "ProjectPlanned":
                self.projects[project] = {"unit": data["unit"], **dict.fromkeys(self.DATES)}
                return
            fields = self.FACTS[name] or ((data["field"],) if data["field"] in self.DATES else ())
            held = self.projects.get(project)
            for field in fields if held is not None else ():
                held[field] = self._day(data["value"] if name == "FactCorrected" else data[field])
        except (ValueError, KeyError, TypeError) as exc:
            raise _Failure(f"events.jsonl line {number}: position {position} ({kind}) is not a project's fact as "
                           f"recorded ({type(exc).__name__}: {exc}): the bundle was changed") from None

    def _draw(self, position, state):
        try:
            data = _json.loads(state)
            draw, period, size, seed = data["draw"], data["period"], data["size"], data["seed"]
            recorded, counted = data["sample"], data["candidates"]
            if not (isinstance(period, str) and _re.fullmatch(r"[0-9]{4}-(0[1-9]|1[0-2])", period)
                    and type(size) is int and isinstance(seed, str)):
                raise ValueError("its period, size or seed is not of its form")
        except (ValueError, KeyError, TypeError) as exc:
            self.found.append((f"draw at position {position}", [f"not a draw as recorded ({exc})"], None))
            return
        candidates = [(p, held["unit"]) for p, held in self.projects.items() if self._candidate(period, held)]
        sample = [list(c) for c in sorted(candidates, key=lambda c: (
            _hashlib.sha256(f"{seed}|{period}|{c[0]}".encode("utf-8")).hexdigest(), c[0]))[:max(size, 0)]]
        problems = []
        if type(counted) is not int or counted != len(candidates):
            problems.append(f"the events give {len(candidates)} candidates, the draw recorded {counted!r}")
        if recorded != sample:
            problems.append(f"the events give the sample {' '.join(p for p, _ in sample) or '(none)'}, the draw "
                            f"recorded {_json.dumps(recorded, ensure_ascii=False)}")
        head = self.HEAD_SEED.fullmatch(seed)
        self.found.append((f"draw {draw} (position {position}, {period}, seed {seed})", problems,
                           (int(head.group(1)), head.group(2), position, period) if head else None))

    @staticmethod
    def _candidate(period, held):
        if held["withdrawn_on"] is not None and held["withdrawn_on"][:7] <= period:
            return False  # withdrawn on or before the end of the month
        return any(day is not None and day[:7] == period for day in (held["signed_on"], held["landed_on"]))

    def report(self, mth, heads):
        """Print each draw's verdict (a head seed said to be the head recorded at its month's close, or not: a
        later head could have been waited for); the number that failed."""
        failures = 0
        closes = {h["label"]: (h["size"], h["root"]) for h in heads}
        for what, problems, head in self.found:
            seeded = ""
            if head is not None:
                size, root, position, period = head
                seeded = (", seed the head recorded at the close of " + period
                          if closes.get(f"close {period}") == (size, root) else
                          ", seed a head of the log (not the one recorded at the month's close)")
                if not 0 < size < position:
                    problems.append(f"its seed names a head of {size} events, not one of the log before the draw")
                elif mth(0, size).hex() != root:
                    problems.append(f"its seed names a head the events do not give (root {mth(0, size).hex()} at "
                                    f"size {size})")
            if problems:
                print(f"FAIL {what}: " + "; ".join(problems))
                failures += 1
            else:
                print(f"ok   {what}: sample recomputed from the events{seeded}")
        return failures


def _load_bundle(folder, draws=None):
    """The manifest, every leaf hash, the heads the log itself recorded (its HeadRecorded events) and how many
    events were redacted (their leaves taken as given); each event shown to ``draws`` (a ``_Draws``)."""
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
            if draws is not None:
                draws.see(number, position, kind, event["state"])
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
    draws = _Draws()
    try:
        manifest, hashes, heads, redacted = _load_bundle(args.bundle, draws)
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
    failures += draws.report(mth, heads)
    print("the bundle verifies" if not failures else f"{failures} check(s) failed")
    return 1 if failures else 0


if __name__ == "__main__":
    _sys.exit(main())
