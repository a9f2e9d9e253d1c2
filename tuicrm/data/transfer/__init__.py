"""Importing files (A5): one framework, and the imports declared on it.

- ``customer_import``, ``product_import``: the imports (``import_customers``,
  ``import_products``), each a list of columns, its row rules and how it writes.
- ``importer``: what an import declares (``Importer``) and the row it checks (``RowCheck``).
- ``columns``: a column's key, kind and headers (English and Chinese); the header row.
- ``kinds``: how a cell becomes a value (text, code, money, quantity, int, bool, date,
  e-mail, choice, ``parent/child`` path), the same for every import.
- ``files``: the file checks (encrypted, damaged, zip bomb) and the streamed rows of an
  .xlsx or .csv.
- ``run``: the check (a reader) and the all-or-nothing write: small imports in one
  operation; customers and products as an import run (``runs``: the run's record and its
  short operations; ``apply``: batches sized to hold the write lock ~0.4 s, resume, undo;
  ``stash``: the checked records on disk until the run is done). One audit row a run.
- ``references``: group and category paths, made when asked; ``bulk``: fast inserts;
  ``spool``: checked records kept on disk until the write.
"""
