"""Scenarios: named changes to a workbook, planned and compared with the base plan."""
