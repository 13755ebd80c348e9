"""Charts drawn on the server as SVG (no script, no library, no other host): a unit's final score and rank
month by month."""

from __future__ import annotations

from decimal import Decimal
from html import escape

WIDTH, HEIGHT, PAD = 640, 220, 36


def trend(points: list[dict], final_label: str = "final", rank_label: str = "rank") -> str:
    """``points``: ``[{"period", "final", "rank", "of"}]`` in month order. The final score as a line on the
    left scale (0 to the highest score or 100), the rank as dots on the right scale (1 at the top)."""
    if not points:
        return ""
    top = max([Decimal(p["final"]) for p in points] + [Decimal(100)])
    worst = max(p["of"] for p in points)
    step = (WIDTH - 2 * PAD) / max(1, len(points) - 1)

    def x(i: int) -> float:
        return PAD + i * step if len(points) > 1 else WIDTH / 2

    def y_final(value) -> float:
        return HEIGHT - PAD - float(Decimal(value) / top) * (HEIGHT - 2 * PAD)

    def y_rank(rank: int) -> float:
        return PAD + (rank - 1) / max(1, worst - 1) * (HEIGHT - 2 * PAD)

    line = " ".join(f"{x(i):.1f},{y_final(p['final']):.1f}" for i, p in enumerate(points))
    parts = [f'<svg class="trend" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" xmlns="http://www.w3.org/2000/svg" '
             f'aria-label="{escape(final_label)} / {escape(rank_label)}">',
             f'<line x1="{PAD}" y1="{HEIGHT - PAD}" x2="{WIDTH - PAD}" y2="{HEIGHT - PAD}" class="axis"/>']
    for value in (0, 50, 100):
        if value <= top:
            parts.append(f'<text x="{PAD - 6}" y="{y_final(value) + 4:.1f}" class="tick" text-anchor="end">{value}'
                         "</text>")
    parts.append(f'<polyline points="{line}" class="final"/>')
    for i, p in enumerate(points):
        parts.append(f'<circle cx="{x(i):.1f}" cy="{y_final(p["final"]):.1f}" r="3" class="final">'
                     f'<title>{escape(p["period"])}: {escape(final_label)} {escape(p["final"])}</title></circle>')
        parts.append(f'<rect x="{x(i) - 4:.1f}" y="{y_rank(p["rank"]) - 4:.1f}" width="8" height="8" class="rank">'
                     f'<title>{escape(p["period"])}: {escape(rank_label)} {p["rank"]}/{p["of"]}</title></rect>')
        parts.append(f'<text x="{x(i):.1f}" y="{HEIGHT - PAD + 16}" class="tick" text-anchor="middle">'
                     f'{escape(p["period"][5:])}</text>')
    parts.append(f'<text x="{WIDTH - PAD + 6}" y="{PAD + 4}" class="tick">1</text>')
    parts.append(f'<text x="{WIDTH - PAD + 6}" y="{HEIGHT - PAD + 4}" class="tick">{worst}</text>')
    parts.append("</svg>")
    return "".join(parts)
