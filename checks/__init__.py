"""Check: the template's rules applied to a record, and across the copies of a batch."""
