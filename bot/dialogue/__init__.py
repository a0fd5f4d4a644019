"""Who is talking and what they may ask: people and accounts, conversations, the command registry,
a handler's context, notifications and inbound de-duplication.
"""
