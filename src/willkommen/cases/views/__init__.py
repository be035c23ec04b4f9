"""Staff pages of the case file: ``cases`` (list, case page, its writes), ``documents``
(upload, download, receipt) and ``contact`` (messages of the contact form)."""
