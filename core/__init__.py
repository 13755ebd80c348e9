"""Sankao's core: the record of facts, the assessment engine and their queries."""
