"""The reports, one module per topic; each registers its reports with ``engine.report``.

``engine.load_catalog()`` imports every module here, so a new topic is one new file (see the
``engine`` module docstring for the pattern).
"""
