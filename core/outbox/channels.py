"""The channel plugins (the ``deliver_notice`` hook, ``sankao_deliver_notice`` in ``core.hookspecs``).

A channel is a class registered under the ``sankao.channels`` entry point group, with a ``name`` (what a
contact's channel names: ``email``, ``webhook``) and the hook; Sankao makes one instance per deliverer with the
process's settings (``Channel(settings)``: the environment's ``SANKAO_*`` variables). Built in:
``plugins.email`` (SMTP) and ``plugins.webhook`` (a signed JSON POST).
"""

from __future__ import annotations

from collections.abc import Mapping
from importlib.metadata import entry_points

import pluggy

from core import hookspecs
from core.errors import ConfigError
from core.messages import msg
from core.model import DeliveryFailed, Receipt

GROUP = "sankao.channels"


class Channels:
    """The channels installed, each made once with ``settings``; ``extra``: instances to add (a test's, a
    program's own)."""

    def __init__(self, settings: Mapping[str, str], extra=()):
        self.pm = pluggy.PluginManager("sankao")
        self.pm.add_hookspecs(hookspecs)
        self.names: list[str] = []
        for ep in sorted(entry_points(group=GROUP), key=lambda e: e.name):
            try:
                plugin = ep.load()(settings)
            except ConfigError:
                raise
            except Exception as exc:  # a broken third-party channel is named, not a traceback
                raise ConfigError(msg("outbox.channel_broken", name=ep.name,
                                      error=f"{type(exc).__name__}: {exc}")) from None
            self._add(plugin)
        for plugin in extra:
            self._add(plugin)

    def _add(self, plugin) -> None:
        name = getattr(plugin, "name", None)
        if not name or name in self.names:
            raise ConfigError(msg("outbox.channel_name", plugin=type(plugin).__name__, name=name))
        self.pm.register(plugin, name=f"channel:{name}")
        self.names.append(name)

    def deliver(self, channel: str, message, address: str, secret: str | None) -> Receipt:
        """Hand ``message`` to ``channel``'s plugin; its ``Receipt``, or ``DeliveryFailed``."""
        if channel not in self.names:
            raise DeliveryFailed(str(msg("outbox.no_channel", channel=channel, known=", ".join(self.names))))
        try:
            receipt = self.pm.hook.sankao_deliver_notice(channel=channel, message=message, address=address,
                                                         secret=secret)
        except DeliveryFailed:
            raise
        except Exception as exc:  # a plugin's own failure: tried again later, named
            raise DeliveryFailed(str(msg("outbox.channel_failed", channel=channel,
                                         error=f"{type(exc).__name__}: {exc}"))) from None
        if not isinstance(receipt, Receipt):
            raise DeliveryFailed(str(msg("outbox.no_receipt", channel=channel)))
        return receipt
