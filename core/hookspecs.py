"""The plugin API's hooks under their public name: what a plugin imports (``from core.hookspecs import hookimpl``).

The hooks live with the rest of the plugin machinery in ``core.rules.hookspecs``; this name stays so that
every plugin, Sankao's own and a third party's, imports the API from one stable place (docs/plugins.md).
"""

from core.rules.hookspecs import *  # noqa: F401,F403

__all__ = [
    "hookimpl", "hookspec", "sankao_annual_standing", "sankao_close_month", "sankao_coefficient",
    "sankao_contributions", "sankao_deduction", "sankao_dispatch", "sankao_explain", "sankao_indicator",
    "sankao_measure", "sankao_rank"
]
