"""The shipped skill taxonomy (skills.json), read with importlib.resources."""
