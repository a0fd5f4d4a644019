"""circlebot core: platform-agnostic services, storage and the command router.

Nothing in this package may import an adapter or a platform library (telegram, discord, twilio,
aiohttp); tests/architecture/test_boundaries.py keeps it so.
"""
