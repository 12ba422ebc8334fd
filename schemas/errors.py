"""One exception hierarchy: a broken template is not a broken document.

A broken template stops the run (the operator must fix it); a broken document becomes a
`failed` record with `unreadable_document` and the batch goes on.
"""


class TasksheetError(Exception):
    """Base of every error this project raises on purpose."""


class TemplateError(TasksheetError):
    """The form template is missing or invalid: nothing can be processed."""


class DocumentError(TasksheetError):
    """One document cannot be read (corrupt, encrypted, empty, huge, foreign)."""


class RegistryError(TasksheetError):
    """The registry cannot be reached or used as asked."""
