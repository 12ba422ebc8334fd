"""Ingest: from a scan folder to the upright, ordered, classified pages of each document."""
