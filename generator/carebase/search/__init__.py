"""Search backends: which one a site uses, and the indexers that work on the built site."""
