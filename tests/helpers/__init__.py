"""What several test modules draw or build: pages, records, fake batch parts. Imported as
`helpers.*` (`tests/` is on the test path); test modules never import each other."""
