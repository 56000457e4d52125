"""Shared by every layer of the core: class schemes, QML style text, atomic file writes.

Imports nothing of the plugin; numpy only.
"""
