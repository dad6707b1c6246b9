"""Many assessments at once: index and cache, due dates, action follow-up, batch rendering, the portfolio view."""
