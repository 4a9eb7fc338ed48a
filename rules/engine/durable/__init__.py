"""The durable_rules evaluator: its host, the compiler of rule rows into its rulesets, and the
classification and violation rulesets built from them."""
