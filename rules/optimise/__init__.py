"""The optimiser: CP-SAT over the scarce clusters, the rest filled in greedily (rules/optimise/plan.py)."""
