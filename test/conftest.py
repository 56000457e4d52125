"""Shared fixtures."""

import pytest


@pytest.fixture(scope="session")
def sample_stack(tmp_path_factory):
    from core.demo.sample_stack import write_sample_stack

    return write_sample_stack(tmp_path_factory.mktemp("sample") / "carbon_density_2001_2024.tif")
