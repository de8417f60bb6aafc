"""Reproducible Community Safety Partnership strategic assessments."""

__version__ = "0.1.0"
