"""Import: readers, tool presets, mapping, normalisation, and the transactional importer."""
