"""The checklist format and library: models, conditions, located YAML reading, validation, citations.

This stage knows nothing of answers: it describes what is asked and where each question comes from.
"""
