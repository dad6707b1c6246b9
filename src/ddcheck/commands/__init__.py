"""Command groups of the ddcheck CLI, one module each."""
