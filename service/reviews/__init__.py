"""The review queue: every finding a person must decide, with its audit trail."""
