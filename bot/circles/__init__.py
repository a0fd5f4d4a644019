"""Circles and people: creating and joining circles, meetings, join codes, linked accounts and
chats, erasure; with their commands.
"""
