"""ddcheck: human-rights due diligence checklists and scored, cited reports."""

__version__ = "0.1.0"
