"""Samples: realistic filled, signed, sealed and scanned task sheets, with their truth."""
