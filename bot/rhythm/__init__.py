"""The weekly rhythm: RSVPs, attendance, check-ins, reflections, questions waiting for answers,
calendars, digests, and the scheduled derivation of reminders and prompts; with their commands.
"""
