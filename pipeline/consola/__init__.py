"""stl consola."""
