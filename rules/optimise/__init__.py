"""The optimiser: the scarce clusters first, then CP-SAT over them with the rest as volumes,
filled in greedily (rules/optimise/plan.py)."""
