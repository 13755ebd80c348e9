"""``sankao audit draw DRAW``: a spot check's sample recomputed from the record (docs/assessment.md §9).

A draw records its seed, its candidates count and its sample. Anyone can recompute them: the candidates are
the projects signed or landed within the draw's month and not withdrawn by its end, as the project facts
recorded before the draw left them (corrections and misreported findings included); the sample is the
``size`` of them with the smallest ``sha256(seed|period|project)``. The draw's own event is proved against the
log's Merkle tree (an edited seed or sample in the store is named), and a seed that names a head
(``SIZE:ROOT``, what ``sankao draw`` takes by default) is checked to be the tree's root at that size, and said
whether it is the head recorded at the month's close (which nobody could pick: a head taken later could have
been waited for).
"""

from __future__ import annotations

import re

from eventsourcing.utils import get_topic

from core.audit.log import recorded_heads
from core.audit.verified import VerificationFailed, verify_head, verified_events
from core.errors import NotFound
from core.messages import msg
from core.record.state import Facts, stream_id
from core.record.supervision import draw_sample, is_candidate
from events import facts as ev

PROJECT_TOPICS = tuple(get_topic(cls) for cls in (ev.ProjectPlanned, ev.ProjectSigned, ev.ProjectLanded,
                                                   ev.ConstructionStarted, ev.ProjectWithdrawn, ev.FactCorrected))
HEAD_SEED = re.compile(r"([0-9]+):([0-9a-f]{64})")


def head_seed(size: int, root: str) -> str:
    """The seed of a draw nobody chose: a head of the log's Merkle tree, ``SIZE:ROOT``."""
    return f"{size}:{root}"


def audit_draw(platform, draw: str) -> dict:
    """The draw recomputed from the record, compared with what it recorded; ``matches`` says whether all agree."""
    app = platform.app
    stored = app.recorder.select_events(stream_id("draw", draw), limit=1)
    if not stored:
        raise NotFound(msg("sv.draw_unknown", draw=draw))
    position = stored[0].id
    problems = []
    try:
        head = verify_head(app, platform.location.describe(), None)
        event = verified_events(app, head, [position])[position]
        proved = True
    except VerificationFailed as failure:
        event, proved = app.mapper.to_domain_event(stored[0]), False
        problems.append(str(failure))
    facts = Facts(buckets=False)
    for _, fact in app.log(0, stop=position - 1, topics=PROJECT_TOPICS):
        facts.apply(fact, None)
    candidates = [(p.id, p.unit) for p in facts.projects.values()
                  if is_candidate(event.period, p.signed_on, p.landed_on, p.withdrawn_on)]
    sample = [list(c) for c in draw_sample(event.seed, event.period, candidates, event.size)]
    recorded = [list(s) for s in event.sample]
    if len(candidates) != event.candidates:
        problems.append(msg("sv.audit_candidates", recorded=event.candidates, recomputed=len(candidates)))
    if sample != recorded:
        problems.append(msg("sv.audit_sample", recorded=[p for p, _ in recorded], recomputed=[p for p, _ in sample]))
    seed_head = None
    found = HEAD_SEED.fullmatch(event.seed)
    if found:
        size, root = int(found.group(1)), found.group(2)
        tree = app.tree.tree
        held = tree.root(size).hex() if 0 < size <= tree.size() else None
        closed = next((h for h in recorded_heads(app) if h["label"] == f"close {event.period}"), None)
        seed_head = {"size": size, "root": root, "is_the_tree_root": held == root,
                     "is_the_close_head": closed is not None and (closed["size"], closed["root"]) == (size, root)}
        if held != root:
            problems.append(msg("sv.audit_seed_head", size=size, root=root))
    return {"draw": draw, "period": event.period, "position": position, "date": event.date.isoformat(),
            "seed": event.seed, "seed_head": seed_head, "size": event.size, "proved": proved,
            "candidates": {"recorded": event.candidates, "recomputed": len(candidates)},
            "sample": {"recorded": recorded, "recomputed": sample},
            "matches": not problems, "problems": [str(p) for p in problems],
            "how": "sha256(seed + '|' + period + '|' + project), the smallest first, then project id"}
