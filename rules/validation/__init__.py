"""Validation of a raw workbook: tabs, cells, settings, fleet and rule rows, each problem to its cell."""
