"""The refusals of the case file: each carries a message for the person who tried."""

from willkommen.core.states import TransitionNotAllowed


class CaseError(ValueError):
    """A write that is refused; the message is shown to the person who tried."""

    @property
    def message(self) -> str:
        return self.args[0] if self.args else ""


class ConcurrentChange(CaseError):
    pass


# What a staff page or the API catches from a case write: a refused write or a
# status move the case type's transition table does not have.
REFUSED = (CaseError, TransitionNotAllowed)
