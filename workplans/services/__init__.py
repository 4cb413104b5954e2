"""Writes on workplans, one module per concern: `plans` (workplans, their
status, objectives and activities), `imports` (a workplan from a
spreadsheet), `exports` (the activity list as CSV and XLSX), and `progress`
with its companions (progress updates, their import and reminders; progress
is the only writer of an activity's status and percent complete)."""
