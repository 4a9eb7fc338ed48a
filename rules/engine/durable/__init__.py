"""The durable_rules host and the compiler of rule rows into its rulesets."""
