"""PostgreSQL for the test suite: Django's own backend, except that a flush (the end of every
transactional test: browser tests, the live server) deletes the rows with the tables' triggers off.

Django's flush is one TRUNCATE of every table, which makes new files for each of some 120 tables and their
indexes: 4–5 s per test on a loaded two-core machine. Deleting the rows instead would have PostgreSQL
check, at commit, every foreign key pointing at each deleted row (every table refers to the areas), as
long again. With `session_replication_role = replica` for the flush's transaction the foreign-key and
audit triggers stay silent — every table is being emptied — and the flush takes a fraction of a second.
Setting it needs a superuser (CI's and a developer's local server); otherwise Django's TRUNCATE runs."""

from django.db.backends.postgresql import base, operations


class DatabaseOperations(operations.DatabaseOperations):
    def sql_flush(self, style, tables, *, reset_sequences=False, allow_cascade=False):
        if reset_sequences or allow_cascade or not tables or not self._superuser():
            return super().sql_flush(
                style, tables, reset_sequences=reset_sequences, allow_cascade=allow_cascade
            )
        sql = [f"{style.SQL_KEYWORD('SET LOCAL')} session_replication_role = replica;"]
        sql += [f"{style.SQL_KEYWORD('DELETE FROM')} {style.SQL_FIELD(self.quote_name(t))};" for t in tables]
        return sql

    def _superuser(self) -> bool:
        if not hasattr(self, "_is_superuser"):
            with self.connection.cursor() as cursor:
                cursor.execute("SELECT rolsuper FROM pg_roles WHERE rolname = current_user")
                self._is_superuser = bool(cursor.fetchone()[0])
        return self._is_superuser


class DatabaseWrapper(base.DatabaseWrapper):
    ops_class = DatabaseOperations
