"""Importers: sources against fake services, the sync engine, and what it writes."""
