"""Workflows that span apps (the layer above them all, below the pages): what happens to cover
and claims when a worker's life changes, an import that records deaths, a merge that moves
cover. Every front door — page, API, command, task — calls these, never the halves."""
