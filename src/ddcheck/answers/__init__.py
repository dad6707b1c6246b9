"""Assessment files and everything that fills them: values, scope, import, locking, the questionnaire."""
