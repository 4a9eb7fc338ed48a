"""Placement: the greedy loop that dates each cluster's windows under the limits."""
