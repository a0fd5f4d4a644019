"""Scheduling: the tick that derives due messages from the database, which process leads, stored
cursors and housekeeping.
"""
