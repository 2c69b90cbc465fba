"""Presentation: Swedish number formats (Babel), explanations, tables, CSV/JSON reports, iCalendar."""
