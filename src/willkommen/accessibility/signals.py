"""What the accessibility app tells the apps right of it, without importing them.

``barrier_reported`` is sent once a barrier report is committed (``report``: the
``BarrierReport``). complaints records it as a complaint of the category
"accessibility barrier"; without a receiver (complaints not installed) nothing else
happens. A receiver that fails is logged and never undoes the stored report.

``barrier_report_anonymised`` is sent inside the transaction that blanks a report
(retention): a receiver blanks its own copy in the same transaction, and if it fails
the report stays as it is, to be blanked with it on the next run.
"""

from django.dispatch import Signal

barrier_reported = Signal()
barrier_report_anonymised = Signal()
