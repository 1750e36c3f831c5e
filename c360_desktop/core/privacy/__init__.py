"""Privacy operations: suppression, consent, redaction, access export, erasure."""
