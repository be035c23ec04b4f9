"""Single rows read and written with statements made once, for the work a booking
rush repeats hundreds of times a second.

Django's ORM compiles its SQL anew on every call. For the few rows a hold and a
confirmation touch (the appointment read locked and updated, its events, its slot
unit, the outbox mail and its attachment) the compiling cost more than the
statements: in-process on PostgreSQL a hold with its confirmation took 5.5–6.0 ms of
CPU with these against 7.0–8.1 ms with ``save()``, ``create()``, ``bulk_create()`` and
``get()``.

Each function builds its statement once per model, database and shape, and then only
prepares the values, each through its field as the ORM does: ``pre_save`` (defaults,
``auto_now``) and ``get_db_prep_save`` on the way in, the database's and the field's
converters on the way out. Nothing else of ``save()`` happens: no signals (willkommen
connects none to these models) and no parent tables (refused). A database error is
Django's own (``IntegrityError`` …), as from the ORM, and spoils the surrounding
transaction the same way.
"""

from __future__ import annotations

import functools

from django.db import DatabaseError, connections, models, router
from django.db.transaction import TransactionManagementError

# Each statement is made once per model, database alias and shape (functools.cache):
# only names from the model's meta and placeholders go into its text (hence no S608).


def _plain(model: type[models.Model]):
    if model._meta.parents:
        raise TypeError(f"{model.__name__} inherits from a concrete model: use the ORM")
    return model._meta


@functools.cache
def _insert_statement(model: type[models.Model], alias: str, on_conflict: tuple[str, ...]):
    ops = connections[alias].ops
    meta = _plain(model)
    fields = [field for field in meta.concrete_fields if not field.primary_key]
    sql = "INSERT INTO {} ({}) VALUES ({})".format(  # noqa: S608
        ops.quote_name(meta.db_table),
        ", ".join(ops.quote_name(field.column) for field in fields),
        ", ".join(["%s"] * len(fields)),
    )
    if on_conflict:
        columns = ", ".join(ops.quote_name(meta.get_field(name).column) for name in on_conflict)
        sql += f" ON CONFLICT ({columns}) DO NOTHING"
    sql += f" RETURNING {ops.quote_name(meta.pk.column)}"
    return sql, fields


@functools.cache
def _update_statement(model: type[models.Model], alias: str, names: tuple[str, ...]):
    ops = connections[alias].ops
    meta = _plain(model)
    targets = [meta.get_field(name) for name in names]
    sql = "UPDATE {} SET {} WHERE {} = %s".format(  # noqa: S608
        ops.quote_name(meta.db_table),
        ", ".join(f"{ops.quote_name(field.column)} = %s" for field in targets),
        ops.quote_name(meta.pk.column),
    )
    return sql, targets


@functools.cache
def _locked_statement(model: type[models.Model], alias: str, field_name: str):
    connection = connections[alias]
    ops = connection.ops
    meta = _plain(model)
    fields = list(meta.concrete_fields)
    converters = []  # per column: the database's converters, then the field's (as the ORM)
    for field in fields:
        column = field.get_col(meta.db_table)
        converters.append(
            (column, ops.get_db_converters(column) + column.get_db_converters(connection))
        )
    lock = " FOR UPDATE" if connection.features.has_select_for_update else ""
    sql = "SELECT {} FROM {} WHERE {} = %s{}".format(  # noqa: S608
        ", ".join(ops.quote_name(field.column) for field in fields),
        ops.quote_name(meta.db_table),
        ops.quote_name(meta.get_field(field_name).column),
        lock,
    )
    return sql, meta.get_field(field_name), converters


def insert(instance: models.Model, *, on_conflict: tuple[str, ...] = ()) -> bool:
    """Insert ``instance`` as a new row and set its primary key; True if inserted.

    With ``on_conflict`` (the fields of a unique constraint) a row that would collide
    is not inserted and False comes back, without an error and without a savepoint
    (``INSERT … ON CONFLICT DO NOTHING``). On a database that cannot return the new
    key from an INSERT (SQLite before 3.35) it falls back to ``save()``, without
    ``on_conflict``.
    """
    model = type(instance)
    alias = router.db_for_write(model, instance=instance)
    connection = connections[alias]
    if not connection.features.can_return_columns_from_insert:
        if on_conflict:
            raise NotImplementedError("on_conflict needs INSERT … RETURNING")
        instance.save(force_insert=True, using=alias)
        return True
    sql, fields = _insert_statement(model, alias, tuple(on_conflict))
    values = [
        field.get_db_prep_save(field.pre_save(instance, True), connection) for field in fields
    ]
    with connection.cursor() as cursor:
        cursor.execute(sql, values)
        row = cursor.fetchone()
    if row is None:
        return False
    instance.pk = row[0]
    instance._state.adding = False
    instance._state.db = alias
    return True


def update(instance: models.Model, fields: list[str] | tuple[str, ...]) -> None:
    """``instance.save(update_fields=fields)``: one UPDATE of these fields by primary
    key; DatabaseError if no row was there, as ``save()`` raises."""
    model = type(instance)
    alias = router.db_for_write(model, instance=instance)
    connection = connections[alias]
    sql, targets = _update_statement(model, alias, tuple(fields))
    values = [
        field.get_db_prep_save(field.pre_save(instance, False), connection) for field in targets
    ]
    values.append(model._meta.pk.get_db_prep_value(instance.pk, connection))
    with connection.cursor() as cursor:
        cursor.execute(sql, values)
        if cursor.rowcount != 1:
            raise DatabaseError("Save with update_fields did not affect any rows.")


def get_locked(model: type[models.Model], field_name: str, value):
    """The row whose unique ``field_name`` is ``value``, locked until the transaction
    ends (``select_for_update().get(...)``, all fields); ``model.DoesNotExist`` if none.
    Outside a transaction it refuses, as the ORM does: the lock would end at once."""
    alias = router.db_for_write(model)
    connection = connections[alias]
    if not connection.in_atomic_block:
        raise TransactionManagementError("get_locked outside of a transaction")
    sql, where, converters = _locked_statement(model, alias, field_name)
    with connection.cursor() as cursor:
        cursor.execute(sql, [where.get_db_prep_value(value, connection)])
        row = cursor.fetchone()
    if row is None:
        raise model.DoesNotExist(f"{model.__name__} matching query does not exist.")
    values = []
    for raw, (column, chain) in zip(row, converters, strict=True):
        for convert in chain:
            raw = convert(raw, column, connection)
        values.append(raw)
    return model.from_db(alias, None, values)
