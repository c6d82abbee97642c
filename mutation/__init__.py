"""Mutation testing of the rules modules (issue 19): `make mutation`. Not part of the portal."""
