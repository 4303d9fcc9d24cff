"""Views: the one presentation layer over the library's results.

One module per result topic.  Each offers ``to_dict(result, labels)`` (the
JSON-able form that ``--json``, the report and the server all use, full
precision) and ``render(result, labels)`` (a rich renderable for people, where
numbers are rounded).  Views import the model, the Space and the analysis
results; nothing below them imports a view.
"""
