"""Sankao's built-in plugins, registered through the ``sankao.plugins`` entry points
exactly like third-party ones (see ``setup.cfg``)."""
