"""The synthetic demo region and the small synthetic stacks used by tests and benchmarks.

The top layer: may import any other package of the core.
"""
