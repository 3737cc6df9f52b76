"""Coaching: pain rules, the planner, the coach's decisions, progress, the guided session."""
