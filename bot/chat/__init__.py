"""The chat vocabulary every layer speaks: messages, platform descriptions, the adapter contract,
rendering, SMS segments, translations, keywords, user errors and the clock. Imports nothing else
of bot/.
"""
