"""The script, style and markup of the page :mod:`orgmodel.html` writes, read as package data."""
