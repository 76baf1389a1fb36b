"""The rewriting engine: source text plus edits in, new text out, with proof.

It does not know which rule produced an edit. ``apply`` applies span edits,
``verify`` checks that a result is equivalent to its source but for the
intended edits, ``atomic`` writes files safely, ``python_refs`` rewrites image
references in Python sources with libcst (imported only when a .py file is
processed).
"""
