"""The example fleet of the real campaign (``python -m examples.make_fleet``)."""
