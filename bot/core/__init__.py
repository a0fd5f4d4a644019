"""The core's one entrance: adapters hold a Core and reach everything through its methods."""

from bot.core.entrance import Core

__all__ = ["Core"]
