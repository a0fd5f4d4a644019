"""Letters between circles: writing, screening, review, matching and the relay; with their
commands.
"""
