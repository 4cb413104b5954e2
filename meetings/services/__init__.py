"""Writes on meetings, one module per concern: `schedule` (meetings, their
status, invitations and attendance), `agenda`, `minutes`, `reminders`."""
