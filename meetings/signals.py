"""What the meetings app tells the apps above it, without knowing them.

`minutes_approved` is sent inside the approval's transaction, after the
minutes and the meeting are saved as approved: a receiver that raises
DomainError undoes the approval (the decisions register records the
minutes' decisions this way, so approved minutes never lack their entries).
Arguments: `minutes`, `meeting` (locked rows), `by` (the approver)."""

from django.dispatch import Signal

minutes_approved = Signal()
