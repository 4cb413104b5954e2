class DomainError(Exception):
    """A business rule refused an action. The message is shown to the user
    as it is, so it must be translatable and say what to do."""

    def __init__(self, message, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field
