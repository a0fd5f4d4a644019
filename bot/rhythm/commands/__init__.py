"""Command handlers of the weekly rhythm: the learner's answers, the facilitator's running of the
circle, announcements.
"""
