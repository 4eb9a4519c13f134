"""Signals of the region reference data."""

from django.dispatch import Signal

# Sent after `regions_load` changed regions set-based (no per-row save signals fire).
regions_loaded = Signal()
