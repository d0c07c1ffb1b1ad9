"""Scenario objects of the booklet: currents and their trigger signals, checklists, briefings, the signal watch."""
