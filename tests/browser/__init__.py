"""Tests that open the lessons in JupyterLab and saved pages in headless Chromium."""
