"""Delivery: the outbox of durable messages, their kinds, the throttled dispatcher and delivery
reports.
"""
