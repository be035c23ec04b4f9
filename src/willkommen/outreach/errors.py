"""The refusals of outreach: each carries a message for the person who tried."""


class OutreachError(ValueError):
    @property
    def message(self) -> str:
        return self.args[0] if self.args else ""


class AlreadyApplied(OutreachError):
    """A second online application for the same permit."""
