"""Backup and restore (A6): a consistent online copy, verified on the copy before it is
published, restorable only when whole and verified.

- ``container``: the backup file (header, manifest, payload, SHA-256 of everything).
- ``manifest``: row counts and business totals of a database (what a restore must match).
- ``inspect``: verifies a copy in a separate process (integrity, ``tuicrm check``, manifest).
- ``making``: ``make_backup``; ``restoring``: ``restore_backup`` and the drill.
- ``schedule``: where backups go, automatic backups without cron, retention, the status that
  Today shows administrators.
"""
