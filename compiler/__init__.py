"""Milestone compiler: declarative PLG milestones compiled to warehouse SQL."""

__version__ = "0.1.0"
