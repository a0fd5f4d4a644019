"""Reports and teams: a circle's numbers and charts, exports, portfolios, the close-out, teams of
circles; with their commands.
"""
