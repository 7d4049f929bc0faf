"""One module per network: each turns a composed :class:`~carebase.announce.model.Message` into
a post with the network's real client, and maps its errors onto the announcer's."""
