"""Questionnaires out, answers in: the supplier round trip without a terminal.

A checklist leaves ddcheck as a protected Excel workbook (``xlsx_export``) or an XLSForm for
ODK/KoboToolbox (``xlsform_export``); the filled workbook (``xlsx_import``) and the form's
submission CSV (``odk_import``) come back as rows for ``answers.importing``, so one validator
decides what is a valid answer whichever way it arrived. ``answers_export`` hands an assessment
back out for review in a spreadsheet. Only these modules import openpyxl, and only the commands
that need them import these modules.
"""
