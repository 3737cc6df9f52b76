"""Figures: pose geometry and braille drawing."""
