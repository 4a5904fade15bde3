"""The patient-survey benchmark report: the national table (data), its calculations (calc),
and the pages of one trust (view)."""
