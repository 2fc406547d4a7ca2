"""Shared test set-up."""

import pytest


@pytest.fixture(autouse=True)
def _register_key_in_tmp(tmp_path_factory, monkeypatch):
    """The documents' register key (doc_templates.register) lives in the user's
    profile; tests keep theirs in a temporary folder."""
    monkeypatch.setenv("JYYZ_HOME", str(tmp_path_factory.getbasetemp() / "jyyz-home"))
