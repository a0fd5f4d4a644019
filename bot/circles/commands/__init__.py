"""Command handlers of circles and people: /start, /help, /join, /next, /schedule, /leave,
/newcircle, /link.
"""
