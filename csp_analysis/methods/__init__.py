"""Analytical methods: change tests, hot spots, harm, disclosure control, priority scoring."""
