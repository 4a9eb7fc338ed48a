"""The rules engine: classification of clusters by the rule rows and the violation check of a schedule."""
