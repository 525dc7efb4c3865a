"""Page bodies: one module (or package) per page, called by a three-line script in `pages/`."""
