"""Fakes of outside services the tests talk to over real HTTP (see sheets_api.FakeSheetsApi)."""
