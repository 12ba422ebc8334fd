"""Check: the template's rules applied to a record, and across the copies of a batch."""

from tasksheet.checks.copies import copy_findings
from tasksheet.checks.rules import RULE_KINDS, check_document, display_for, document_status

__all__ = ["RULE_KINDS", "check_document", "copy_findings", "display_for", "document_status"]
