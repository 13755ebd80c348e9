"""The plugin machinery: what a plugin implements and sees, and which plugins are in force.

``hookspecs`` (the hooks; public as ``core.hookspecs``), ``model`` (the values passed to and from plugins;
public as ``core.model``), ``view`` (the read-only views of the facts a plugin is given), ``plugins`` (the
installed plugins, their settings from plugins.toml, the pluggy manager of one set of rules), ``book`` (the
rules in force on a date, and the plugin sets built from them).

May import: ``core.record``, ``core.tree``, ``core.store``, the base, ``events``.
"""
