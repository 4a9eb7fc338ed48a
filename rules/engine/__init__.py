"""The rules engine: what the rule rows make of each cluster (classification) and what a proposed
schedule breaks (violations). evaluators.py chooses who evaluates the rows: durable_rules
(durable/) or its plain-Python twin (plain.py)."""
