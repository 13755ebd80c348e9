"""The web layer (thin Flask + marshmallow); its API issue comes after the engine."""
