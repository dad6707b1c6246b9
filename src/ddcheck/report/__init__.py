"""The report: findings -> view-model (context.py) -> HTML (html.py) / Markdown / JSON -> PDF (pdf.py).

Nothing is imported here, so ``import ddcheck.report.context`` never pulls in Jinja2 or WeasyPrint;
``pipeline.py`` strings the steps together for ``ddcheck report`` and ``ddcheck demo``.
"""
