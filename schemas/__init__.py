"""The form template and the record models: the project's data contracts."""

from schemas.errors import DocumentError, RegistryError, TasksheetError, TemplateError
from schemas.template import Template, load_template

__all__ = ["DocumentError", "RegistryError", "TasksheetError", "Template", "TemplateError", "load_template"]
