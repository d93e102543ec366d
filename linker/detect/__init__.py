"""Ring detection: evidence, links, timing, communities, scores."""
