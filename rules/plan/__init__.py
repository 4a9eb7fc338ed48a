"""The plan: placement and the engine put together, its summary and its JSON document."""
