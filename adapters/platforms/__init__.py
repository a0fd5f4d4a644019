"""Platform adapters: each describes its platform and translates between it and the core's
vocabulary.
"""
