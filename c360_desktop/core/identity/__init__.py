"""Identity resolution: which records, across and within tools, are the same person."""
