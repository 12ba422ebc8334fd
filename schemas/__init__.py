"""The form template and the record models: the project's data contracts."""

from tasksheet.schemas.errors import DocumentError, RegistryError, TasksheetError, TemplateError
from tasksheet.schemas.template import Template, load_template

__all__ = ["DocumentError", "RegistryError", "TasksheetError", "Template", "TemplateError", "load_template"]
