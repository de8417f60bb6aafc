"""The configuration file: its models and loading, and the schemas of its blocks."""
