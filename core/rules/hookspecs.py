"""The hooks a Sankao plugin can implement: the plugin author's reference.

A plugin is a class registered under the ``sankao.plugins`` entry point group.
Sankao instantiates it with its validated settings (``Plugin(settings)``, a dict
produced by the class's ``Settings`` marshmallow schema) once for every set of
rules in force, and calls its hook methods with keyword arguments only. A plugin
reads facts through the read-only ``facts`` view it is given and never reads
files, the clock or the store; what it returns is recorded by Sankao in its own
events (``ScoreChanged``, ``NoticeIssued``, ``BoardFrozen``), with the plugin's name.

A plugin class has:

- ``version`` (str): recorded with every score it took part in;
- optionally ``inputs`` (a frozenset of names): what its ``sankao_coefficient`` and
  ``sankao_deduction`` read (project fields such as ``signed_on``, ``targets``,
  ``cases``, ``supervision``); when a fact changes none of them Sankao keeps their last answer for
  the month. Without it they are asked every time. Indicators say the same with
  ``IndicatorSpec.inputs``;
- ``Settings``: a marshmallow ``Schema`` class for its ``plugins.toml`` table
  (``enabled`` is Sankao's own key and never reaches the schema);
- hook methods decorated with ``core.hookspecs.hookimpl`` (the plugin API names this module ``core.hookspecs``).

An implementation may accept fewer arguments than the spec lists.
"""

from __future__ import annotations

import pluggy

hookspec = pluggy.HookspecMarker("sankao")
hookimpl = pluggy.HookimplMarker("sankao")


@hookspec
def sankao_indicator():
    """Declare the indicator this plugin supplies.

    Called once per set of rules in force, when the plugin manager is built.

    :returns: a ``core.rules.model.IndicatorSpec`` (``name``, ``default_weight``, ``kind``
        ``"amount"`` or ``"count"``, ``cap``), or None when the plugin supplies no
        indicator. Every answer is collected.
    """


@hookspec
def sankao_measure(unit, period, facts):
    """Measure the plugin's indicator for one unit and one month.

    Called for every (unit, month) whose figures a recorded command may have
    changed, with the rules in force on the month's first day.

    :param unit: the unit id (str).
    :param period: the month, ``"YYYY-MM"``.
    :param facts: a ``core.rules.view.FactsView``, read-only, as recorded so far.
    :returns: a ``core.rules.model.Measure`` (``plugin``, ``value``, ``target``), or None
        when the unit has no target for this indicator. Sankao leaves out a target
        of 0, applies the weight (the unit's own ``weights`` first, else the
        declared default) and the cap. Every answer is collected.
    """


@hookspec(firstresult=True)
def sankao_coefficient(unit, period, facts):
    """The unit coefficient for a month, multiplying its base score.

    :param unit: the unit id.
    :param period: the month, ``"YYYY-MM"``.
    :param facts: a ``core.rules.view.FactsView``.
    :returns: a ``Decimal``; the first non-None answer wins; with no answer the
        coefficient is 1.
    """


@hookspec(firstresult=True)
def sankao_deduction(unit, period, cases):
    """The points pre-deducted (预扣分) from a unit's score for a month, D(u, P).

    :param unit: the unit id.
    :param period: the month, ``"YYYY-MM"``.
    :param cases: a ``core.rules.view.CasesView`` of the early-warning cases recorded so far.
    :returns: a ``Decimal`` ≥ 0; the first non-None answer wins; with no answer 0.
    """


@hookspec(firstresult=True)
def sankao_supervision_points(unit, period, supervision):
    """The supervision part of a unit's pre-deduction for a month, D_supervision(u, P) (docs/assessment.md §9).

    Sankao adds it to ``sankao_deduction``'s answer: ``D = D_warning + D_supervision``, frozen with the board
    at the month's close like the rest. The built-in ``supervision`` plugin deducts a missed or late
    self-check of the month before (定期自查), each misreported spot-check finding dated in the month
    (随机抽查) and the special assessments dated in it (专项考核). An office replaces those rules with a plugin
    of its own that implements this hook (and disables ``supervision``).

    :param unit: the unit id.
    :param period: the month of the board, ``"YYYY-MM"``.
    :param supervision: a ``core.rules.view.SupervisionView`` of the supervision recorded so far.
    :returns: a ``core.rules.model.SupervisionPoints`` (``self_check``, ``misreport``, ``special``: ``Decimal``
        ≥ 0 each); the first non-None answer wins; with no answer nothing is deducted.
    """


@hookspec
def sankao_dispatch(date, facts, cases):
    """Evaluate early warnings at a weekly dispatch (周调度).

    Called once for every recorded ``dispatch``, with the rules in force on its
    date and the facts recorded before it.

    :param date: the dispatch's business date (``datetime.date``).
    :param facts: a ``core.rules.view.FactsView``.
    :param cases: a ``core.rules.view.CasesView``.
    :returns: a list of ``core.rules.model.NoticeDecision`` (letters and feedback sheets),
        in the order they are issued, or None. Every answer is collected; Sankao
        records each as a ``NoticeIssued`` naming the plugin.
    """


@hookspec(firstresult=True)
def sankao_rank(period, entries):
    """Rank a month's board.

    :param period: the month, ``"YYYY-MM"``.
    :param entries: a list of ``core.rules.model.BoardEntry`` (unranked figures).
    :returns: the same entries in rank order with ``rank`` and ``third`` set
        (``top``, ``middle``, ``bottom``); the first non-None answer wins.
    """


@hookspec(firstresult=True)
def sankao_close_month(period, board, closed):
    """Decide the consequences of closing a month (commendation, accountability).

    :param period: the month being closed, ``"YYYY-MM"``.
    :param board: the ranked entries (``core.rules.model.BoardEntry``) being frozen.
    :param closed: ``{period: [entry dicts]}`` of the year's months closed before,
        as frozen.
    :returns: ``{unit: {"streak": int, "accountability": str | None,
        "commended": bool}}``; the first non-None answer wins.
    """


@hookspec(firstresult=True)
def sankao_annual_standing(year, through, boards, facts, people):
    """Evaluate the year (年考评): rank the units on the year and grade their people (docs/assessment.md §8).

    Called for ``sankao annual`` (provisional, over the months closed so far) and once at ``close_year``,
    whose answer is frozen in a ``StandingFrozen`` event; with the rules in force at the end of ``through``.

    :param year: the year (int).
    :param through: the latest closed month of the year, ``"YYYY-MM"``; never None (with no month closed
        there is no standing and the hook is not called).
    :param boards: ``{period: [row, ...]}``, the year's frozen boards in month order, each row a dict with
        ``unit``, ``rank``, ``third`` and ``final`` (the 2-decimal ``Decimal`` the board shows).
    :param facts: a ``core.rules.view.FactsView`` of the facts the standing uses (as known, or before the close).
    :param people: a ``core.rules.view.PeopleView``: every registered person and the projects each holds.
    :returns: a ``core.rules.model.Standing``; the first non-None answer wins.
    """


@hookspec
def sankao_contributions(unit, period, facts):
    """Say which projects make up the plugin's indicator value (for ``sankao explain``).

    Called only to explain a score, with the facts as they stood when the score
    was recorded; an indicator plugin that does not implement it is explained by
    its value alone.

    :param unit: the unit id.
    :param period: the month, ``"YYYY-MM"``.
    :param facts: a ``core.rules.view.FactsView`` of the facts as they stood.
    :returns: ``{project id: Decimal}``, each project's part of the value (1 for a
        count), adding up to exactly the value ``sankao_measure`` gives; or None.
        Every answer is collected, each for its own plugin's indicator.
    """


@hookspec
def sankao_explain(unit, period, facts, cases, supervision):
    """Say how the plugin's coefficient or deduction for a unit's month came about (for ``sankao explain``).

    :param unit: the unit id.
    :param period: the month, ``"YYYY-MM"``.
    :param facts: a ``core.rules.view.FactsView`` of the facts as they stood.
    :param cases: a ``core.rules.view.CasesView`` of the cases as they stood.
    :param supervision: a ``core.rules.view.SupervisionView`` of the supervision as it stood.
    :returns: a dict of plain values (strings, numbers, lists, dicts) naming the
        inputs and how they combine (``{"formula": …, "inputs": {…}}``), or None.
        Every answer is collected, keyed by plugin.
    """


@hookspec(firstresult=True)
def sankao_deliver_notice(channel, message, address, secret):
    """Deliver one message over the plugin's channel (the ``deliver_notice`` hook, docs/delivery.md).

    A *channel* plugin is registered under the ``sankao.channels`` entry point group (not ``sankao.plugins``:
    a channel is how letters travel, not a rule of the assessment, and is not effective-dated). Sankao
    instantiates it once per deliverer with the process's settings (``Channel(settings)``, a mapping of the
    environment's ``SANKAO_*`` variables), and reads its ``name`` (the channel named in a contact, e.g.
    ``email``, ``webhook``). It is called by ``sankao deliver`` outside any transaction, once per receiver,
    for every attempt until one is accepted; it may read the network, never the store.

    :param channel: the channel the contact names; a plugin answers None unless it is its own ``name``.
    :param message: a ``core.model.Outgoing`` (the delivery key, subject, plain text, printable HTML, data).
    :param address: the contact's address on the channel (an e-mail address, a URL).
    :param secret: the contact's secret (a webhook's signing key), or None.
    :returns: a ``core.model.Receipt`` with what the receiver answered once it accepted the message, or None
        when ``channel`` is not the plugin's. Raise ``core.model.DeliveryFailed`` (``permanent=True`` when the
        receiver refused it for good) when it did not accept it. The first answer is taken.
    """
