"""Extract: table cells, checkboxes, signatures, seals and field values into the record."""
