"""Group rings into campaigns and attribute them to operators."""
