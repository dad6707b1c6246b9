"""Pure functions from an assessment and its checklists to findings: scores, ratings, comparisons.

Nothing here touches a terminal or renders anything; the CLI and the report consume the results.
"""
