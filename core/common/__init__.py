"""Shared by every layer of the core: class schemes, QML style text, atomic file writes, the years in
names, the cancel type.

Imports nothing of the plugin; numpy only.
"""
