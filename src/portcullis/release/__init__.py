"""Disclosure packages: the minimal released fields, signed, encrypted to the recipient agency."""
