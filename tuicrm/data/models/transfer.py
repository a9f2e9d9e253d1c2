"""Import runs: one row per import applied in batches, so an interrupted one can be finished
or taken back (``transfer/runs.py``)."""

from __future__ import annotations

from peewee import AutoField, CharField, DateTimeField, IntegerField, TextField

from .base import BaseModel, now


class ImportRun(BaseModel):
    """One import being applied, applied, or taken back. ``applied`` is how many of the
    checked records (in the file's order) are written: it moves in the same transaction as
    each batch, so it is exactly where a resumed import goes on. ``owner`` names the process
    applying or undoing it ("host:pid:token"; empty when nobody is)."""

    id = AutoField()
    kind = CharField()  # customers | products
    file = CharField()  # the file's name as the user chose it
    path = TextField(default="")  # where it was, for the user's information
    options = TextField(default="{}")  # JSON: the importer's options (duplicates, ...)
    status = CharField(index=True)  # ImportStatus
    total = IntegerField(default=0)  # records to write
    applied = IntegerField(default=0)  # records written so far (a position in the stash)
    inserted = IntegerField(default=0)
    updated = IntegerField(default=0)
    removed = IntegerField(default=0)  # taken back by an undo
    kept = IntegerField(default=0)  # an undo could not remove them: used since
    user_id = IntegerField(null=True)
    username = CharField(default="")
    owner = CharField(default="")
    stash = TextField(default="")  # the file holding the checked records until done
    message = TextField(default="")  # why it stopped, what an undo kept
    started_at = DateTimeField(default=now)
    updated_at = DateTimeField(default=now)
    finished_at = DateTimeField(null=True)


class ImportUndo(BaseModel):
    """A record an import updated (``duplicates=update``) and its fields before, so an undo
    can put them back. Written with the batch that changed it."""

    id = AutoField()
    run_id = IntegerField(index=True)
    record_id = IntegerField()
    old = TextField()  # JSON {field: value as stored}
