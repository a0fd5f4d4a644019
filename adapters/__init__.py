"""Platform adapters: thin translators between a platform and the core's neutral messages.

An adapter holds a bot.core.Core, turns platform payloads into Inbound, and sends Outbound.
Module names must not shadow the libraries they wrap (telegram_bot.py, not telegram.py).
"""
