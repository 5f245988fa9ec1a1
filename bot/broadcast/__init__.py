"""Broadcast delivery: ``sender`` works through the delivery rows the /broadcast confirm wrote."""
