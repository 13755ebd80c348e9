"""Plugins: discovery through entry points, ``plugins.toml`` validation, managers.

A plugin manager is built fresh by ``build_manager`` for one set of rules; there
is no global one.
"""

from __future__ import annotations

import tomllib
from importlib import resources
from dataclasses import dataclass, field
from datetime import date, datetime
from datetime import time as dt_time
from decimal import Decimal
from importlib.metadata import entry_points
from pathlib import Path

import pluggy
from marshmallow import ValidationError

from core.rules import hookspecs
from core.errors import ConfigError, PluginError
from core.messages import Name, Setting, flatten_messages, join, msg
from core.rules.model import IndicatorSpec

GROUP = "sankao.plugins"
RESERVED = {"enabled"}


def installed_plugins() -> dict[str, type]:
    """Every plugin class registered under the ``sankao.plugins`` entry points."""
    found = {}
    for ep in entry_points(group=GROUP):
        try:
            found[ep.name] = ep.load()
        except Exception as exc:  # a broken third-party package must be named, not crash discovery
            raise PluginError(msg("plugins.import", name=ep.name, value=ep.value, error=exc)) from exc
    return found


def read_toml(path: Path) -> dict:
    try:
        with open(path, "rb") as handle:
            return tomllib.load(handle)
    except FileNotFoundError:
        raise ConfigError(msg("plugins.no_file", path=path)) from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(msg("plugins.bad_toml", path=path, error=exc)) from None


def _plain(value):
    """TOML's native dates and times as the ISO strings marshmallow schemas read."""
    if isinstance(value, (date, datetime, dt_time)):
        return value.isoformat()
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value


def _table_problems(name: str, table, installed: dict[str, type], where: str) -> list[str]:
    if name not in installed:
        return [msg("plugins.unknown", where=where, installed=[Name(n) for n in sorted(installed)])]
    if not isinstance(table, dict):
        return [msg("plugins.not_table", where=where)]
    enabled = table.get("enabled", True)
    return [] if isinstance(enabled, bool) else [msg("plugins.enabled", where=where)]


def merge_config(current: dict, raw: dict, installed: dict[str, type], source: str = "plugins.toml") -> dict:
    """The rules ``current`` with the ``plugins.toml`` document ``raw`` laid over them.

    A plugin the document names is enabled unless ``enabled = false``; the keys of
    its table replace those of its current settings, keys it does not name keep
    their current values, and so do the keys of a table-valued setting
    (``thresholds = { red = 0.4 }`` changes red alone). A plugin the document does not name keeps its state and
    settings. The result lists every installed plugin as
    ``{name: {"enabled", "version", "settings"}}``: the current ones in their order
    (the order scores list indicators in), then new ones in the document's order.
    Every problem is reported at once in one ``ConfigError``.
    """
    problems, out = [], {name: dict(cfg) for name, cfg in current.items()}
    unsure_weights = False  # an indicator's table failed: its weight is unknown
    tables = raw.get("plugins")
    extra = sorted(set(raw) - {"plugins"})
    if extra:
        problems.append(msg("plugins.top_level", source=source, keys=extra))
    if not isinstance(tables, dict):
        raise ConfigError(msg("plugins.no_tables", source=source))
    for name, table in tables.items():
        where = f"{source} [plugins.{name}]"
        found = _table_problems(name, table, installed, where)
        if found:
            problems.extend(found)
            continue
        cls = installed[name]
        schema = cls.Settings()
        previous = (current.get(name) or {}).get("settings")
        base = schema.dump(previous) if previous else {}
        given = {k: _plain(v) for k, v in table.items() if k not in RESERVED}
        merged = {**base, **{k: {**base[k], **v} if isinstance(v, dict) and isinstance(base.get(k), dict) else v
                             for k, v in given.items()}}
        try:
            settings = schema.load(merged)
        except ValidationError as exc:
            problems.extend(msg("plugins.setting", where=where, problem=line)
                            for line in sorted(flatten_messages(exc.messages, unknown="cmd.unknown_key")))
            unsure_weights = unsure_weights or hasattr(cls, "sankao_indicator")
            continue
        out[name] = {"enabled": table.get("enabled", True) is True, "version": str(getattr(cls, "version", "0")),
                     "settings": settings}
    for name, cls in installed.items():
        out.setdefault(name, {"enabled": False, "version": str(getattr(cls, "version", "0")), "settings": None})
    checked = [cfg for cfg in out.values() if cfg["enabled"] and isinstance(cfg["settings"], dict)]
    if checked and not unsure_weights:
        weights = [w for w in (cfg["settings"].get("weight") for cfg in checked) if w is not None]
        if not weights or sum(weights) <= 0:
            problems.append(msg("plugins.weights_zero", source=source, total=sum(weights, Decimal(0))))
    if problems:
        raise ConfigError(join(problems, "\n"))
    return out


def defaults(installed: dict[str, type]) -> dict:
    """The built-in defaults (``plugins/defaults.toml``): docs/assessment.md's plugins and settings, in its order.

    Installed plugins the defaults do not name (third-party ones) are listed disabled.
    """
    text = resources.files("plugins").joinpath("defaults.toml").read_text(encoding="utf-8")
    return merge_config({}, tomllib.loads(text), installed, msg("plugins.builtin"))


def load_config(path: Path | None, installed: dict[str, type]) -> dict:
    """The rules a new store starts with: the built-in defaults, with ``path`` laid over them if given."""
    config = defaults(installed)
    return config if path is None else merge_config(config, read_toml(path), installed, str(path))


def same_rules(a: dict, b: dict) -> bool:
    """Whether two sets of rules enable the same plugins with the same settings (versions aside)."""
    def comparable(plugins):
        return {name: cfg["settings"] for name, cfg in plugins.items() if cfg["enabled"]}
    return comparable(a) == comparable(b)


def rule_changes(old: dict, new: dict) -> list[str]:
    """What changes from rules ``old`` to ``new``, a line each, in words an office reads (``core.messages.Text``:
    ``render(line, "zh")`` says it in Chinese)."""
    lines = []
    for name in dict.fromkeys([*old, *new]):
        before, after = old.get(name) or {"enabled": False}, new.get(name) or {"enabled": False}
        if before["enabled"] and not after["enabled"]:
            lines.append(msg("plugins.change_disabled", name=Name(name)))
            continue
        if after["enabled"] and not before["enabled"]:
            lines.append(msg("plugins.change_enabled", name=Name(name), settings=Setting(after.get("settings"))))
            continue
        if not after["enabled"]:
            continue
        old_settings, new_settings = before.get("settings") or {}, after.get("settings") or {}
        for key in dict.fromkeys([*old_settings, *new_settings]):
            if old_settings.get(key) != new_settings.get(key):
                lines.append(msg("plugins.change_setting", name=Name(name), key=Name(key),
                                 old=Setting(old_settings.get(key)), new=Setting(new_settings.get(key))))
        if before.get("version") != after.get("version"):
            lines.append(msg("plugins.change_version", name=Name(name), old=before.get("version"),
                             new=after.get("version")))
    return lines


def plugin_failure(plugin: str, hook: str, exc: Exception) -> PluginError:
    """What Sankao raises when a plugin's hook raised ``exc`` (its caller raises it ``from exc``)."""
    return PluginError(msg("plugins.raised", plugin=plugin, hook=hook, kind=type(exc).__name__, error=exc))


@dataclass
class PluginSet:
    """The plugin manager for one set of rules, with what core needs to know of it."""

    pm: pluggy.PluginManager
    order: list[str]
    indicators: dict[str, IndicatorSpec]
    versions: dict[str, str]
    owners: dict[str, str] = field(default_factory=dict)  # indicator -> the plugin that supplies it

    def each(self, name: str, *, skip: frozenset | set = frozenset(), **kwargs):
        """Call a hook plugin by plugin, in configured order, leaving out the plugins in ``skip``:
        yields ``(plugin, answer)``."""
        for plugin, function, argnames in self._callers(name):
            if plugin in skip:
                continue
            try:
                answer = function(*[kwargs[arg] for arg in argnames])
            except Exception as exc:
                raise plugin_failure(plugin, name, exc) from exc
            yield plugin, answer

    @property
    def supplies(self) -> dict[str, str]:
        """``{plugin: the indicator it supplies}``."""
        found = self.__dict__.get("_supplies")
        if found is None:
            found = self.__dict__["_supplies"] = {plugin: name for name, plugin in self.owners.items()}
        return found

    def call(self, name: str, plugin: str, function, argnames, **kwargs):
        """One plugin's implementation of hook ``name``, called with the arguments it takes."""
        try:
            return function(*[kwargs[arg] for arg in argnames])
        except Exception as exc:
            raise plugin_failure(plugin, name, exc) from exc

    def implementations(self, name: str) -> list:
        """``[(plugin, function, argnames)]`` of hook ``name``, in the order of the rules."""
        return self._callers(name)

    def inputs_of(self, name: str) -> frozenset | None:
        """What the implementations of the per-month hook ``name`` read (their plugins' ``inputs``),
        or None when one of them does not say (then it may read anything)."""
        cache = self.__dict__.get("_inputs_cache")
        if cache is None:
            cache = self.__dict__["_inputs_cache"] = {}
        if name not in cache:
            found: frozenset | None = frozenset()
            for plugin, _, _ in self._callers(name):
                declared = getattr(self.pm.get_plugin(plugin), "inputs", None)
                found = None if declared is None or found is None else found | declared
            cache[name] = found
        return cache[name]

    @property
    def reads(self) -> frozenset | None:
        """Everything a unit's month figures read, or None when some plugin may read anything."""
        cache = self.__dict__.get("_inputs_cache")
        if cache is None:
            cache = self.__dict__["_inputs_cache"] = {}
        if "*" not in cache:
            parts = [spec.inputs for spec in self.indicators.values()]
            parts += [self.inputs_of("sankao_coefficient"), self.inputs_of("sankao_deduction"),
                      self.inputs_of("sankao_supervision_points")]
            cache["*"] = None if any(p is None for p in parts) else frozenset().union(*parts)
        return cache["*"]

    def _callers(self, name: str) -> list:
        cache = self.__dict__.get("_caller_cache")
        if cache is None:
            cache = self.__dict__["_caller_cache"] = {}
        found = cache.get(name)
        if found is None:
            impls = {impl.plugin_name: impl for impl in getattr(self.pm.hook, name).get_hookimpls()}
            found = cache[name] = [(p, impls[p].function, impls[p].argnames) for p in self.order if p in impls]
        return found


def build_manager(plugins: dict, installed: dict[str, type]) -> PluginSet:
    """A fresh plugin manager with the enabled plugins of ``plugins`` registered."""
    pm = pluggy.PluginManager("sankao")
    pm.add_hookspecs(hookspecs)
    order, versions = [], {}
    for name, cfg in plugins.items():
        if not cfg["enabled"]:
            continue
        cls = installed.get(name)
        if cls is None:
            raise PluginError(msg("plugins.not_installed", name=name))
        try:
            pm.register(cls(cfg["settings"]), name=name)
        except Exception as exc:
            raise PluginError(msg("plugins.setup", name=name, error=exc)) from exc
        order.append(name)
        versions[name] = cfg["version"]
    try:
        pm.check_pending()
    except pluggy.PluginValidationError as exc:
        raise PluginError(msg("plugins.unknown_hook", name=exc.plugin_name, error=exc)) from None
    indicators, owners = {}, {}
    for plugin, spec in PluginSet(pm, order, {}, versions).each("sankao_indicator"):
        if spec is None:
            continue
        if not isinstance(spec, IndicatorSpec) or not isinstance(spec.default_weight, Decimal) \
                or not isinstance(spec.cap, Decimal) or spec.kind not in ("amount", "count") \
                or not (spec.inputs is None or isinstance(spec.inputs, frozenset)
                        and all(isinstance(i, str) for i in spec.inputs)):
            raise PluginError(msg("plugins.nonsense_indicator", plugin=plugin, spec=repr(spec)))
        if spec.name in owners:
            raise PluginError(msg("plugins.both_supply", a=owners[spec.name], b=plugin, name=spec.name))
        indicators[spec.name], owners[spec.name] = spec, plugin
    return PluginSet(pm, order, indicators, versions, owners)


def indicator_names(installed: dict[str, type]) -> frozenset[str]:
    """Names of installed plugins that supply an indicator."""
    return frozenset(name for name, cls in installed.items() if hasattr(cls, "sankao_indicator"))


def plugins_report(installed: dict[str, type], recorded: list, in_force: dict) -> list[dict]:
    """``sankao plugins list``: every plugin in force or installed, with its version, hooks, state, settings
    and since when its settings are in force (``recorded``: the recorded rules, oldest first)."""
    from core.report import plain_value
    rows = []
    for name in dict.fromkeys([*in_force, *sorted(installed)]):
        cls = installed.get(name)
        cfg = in_force.get(name) or {"enabled": False, "settings": None, "version": getattr(cls, "version", "0")}
        since = None
        if recorded and cfg["enabled"]:
            for rule in recorded:
                if rule.plugins.get(name) == cfg:
                    since = since or (rule.effective.isoformat() if rule.effective else "the start")
                else:
                    since = None
        hooks = sorted(a for a in dir(cls) if a.startswith("sankao_")) if cls else []
        rows.append({"name": name, "version": str(cfg.get("version") or getattr(cls, "version", "0")),
                     "hooks": hooks, "enabled": cfg["enabled"], "settings": plain_value(cfg["settings"]),
                     "since": since, "recorded": bool(recorded), "installed": cls is not None})
    return rows
