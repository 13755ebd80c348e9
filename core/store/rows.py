"""Writing many rows of a table beside the log in one statement (read models, the tree), in either dialect."""

from __future__ import annotations

from collections.abc import Sequence


class RowWriter:
    """Bulk inserts and upserts of a recorder (a part of ``core.store.recorder.Recorder``); needs its ``q``."""

    def write_rows(self, cur, kind: str, table: str, columns: Sequence[str], rows: list,
                   key: Sequence[str] = ()) -> None:
        """Write many rows in one go: ``insert`` them, ``upsert`` them (on ``key``), ``upsert_add`` them
        (adding to the stored numbers), or ``update`` the ``columns`` of the rows named by ``key`` (each
        row: the columns' values, then the key's).

        SQLite runs one prepared statement per row; the PostgreSQL recorder sends
        many rows per statement instead (see ``core.store.postgres``).
        """
        if not rows:
            return
        cur.executemany(self._statement(kind, table, tuple(columns), tuple(key)), rows)

    @staticmethod
    def _sql(kind: str, table: str, columns: tuple, key: tuple, values: str) -> str:
        if kind == "update":
            sets = ", ".join(f"{c} = ?" for c in columns)
            return f"UPDATE {table} SET {sets} WHERE " + " AND ".join(f"{k} = ?" for k in key)
        sql = f"INSERT INTO {table} ({', '.join(columns)}) VALUES {values}"
        if kind == "upsert":
            sets = ", ".join(f"{c} = excluded.{c}" for c in columns if c not in key)
            sql += f" ON CONFLICT ({', '.join(key)}) DO UPDATE SET {sets}"
        elif kind == "upsert_add":  # add the new rows' values to the stored ones
            sets = ", ".join(f"{c} = {table}.{c} + excluded.{c}" for c in columns if c not in key)
            sql += f" ON CONFLICT ({', '.join(key)}) DO UPDATE SET {sets}"
        return sql

    def _statement(self, kind: str, table: str, columns: tuple, key: tuple) -> str:
        cache = self.__dict__.setdefault("_statements", {})
        found = cache.get((kind, table, columns, key))
        if found is None:
            found = cache[(kind, table, columns, key)] = self.q(
                self._sql(kind, table, columns, key, "(" + ", ".join("?" * len(columns)) + ")"))
        return found
