"""Webhooks: subscriptions, the persistent outbox, signed delivery with retries."""
