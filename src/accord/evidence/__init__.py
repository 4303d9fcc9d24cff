"""Evidence from the news: quotations, their speakers, channels and dates, tied to a scenario.

``accord ingest`` reads a report (:mod:`accord.io.article`), finds who said what,
where and when (:mod:`accord.evidence.extract`), ties each quotation to a party
and to the points it concerns (:mod:`accord.evidence.propose`,
:mod:`accord.evidence.linking`) with a stance (:mod:`accord.evidence.stance`),
and proposes :class:`~accord.model.Statement` and :class:`~accord.model.Meeting`
objects; :mod:`accord.evidence.check` lists where statements contradict the
scenario's estimates.  Nothing here touches the network.
"""
