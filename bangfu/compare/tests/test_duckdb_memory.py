"""A run's DuckDB keeps to its memory limit (BANGFU_COMPARE_MEMORY, default 6GB) and spills what does not
fit to the run's work folder, instead of taking most of the machine (docs/operations.md)."""

from bangfu.compare.run import duckdb_connection


def _settings(con) -> tuple[str, str, str]:
    return tuple(
        con.execute(
            "SELECT current_setting('memory_limit'), current_setting('temp_directory'), "
            "current_setting('block_allocator_memory')"
        ).fetchall()[0]
    )


def test_default_limit_and_spill_folder_under_the_work_folder(tmp_path, monkeypatch):
    monkeypatch.delenv("BANGFU_COMPARE_MEMORY", raising=False)
    con = duckdb_connection(tmp_path)
    limit, folder, kept = _settings(con)
    assert limit == "5.5 GiB"  # 6 GB
    assert folder == str(tmp_path / "duckdb")
    assert kept == "5.5 GiB"  # the blocks' memory kept for the run, up to the limit
    con.close()


def test_limit_from_the_environment_and_spilling_works(tmp_path, monkeypatch):
    monkeypatch.setenv("BANGFU_COMPARE_MEMORY", "100MB")
    con = duckdb_connection(tmp_path)
    assert _settings(con)[0] == _settings(con)[2] == "95.3 MiB"  # 100 MB
    # Data and a DISTINCT several times the limit: without the spill folder DuckDB runs out of memory.
    con.execute("SET preserve_insertion_order = false")
    con.execute(
        "CREATE TABLE t AS SELECT i, md5(CAST(i AS VARCHAR)) || md5(CAST(i + 1 AS VARCHAR)) AS s "
        "FROM range(2000000) r(i)"
    )
    assert con.execute("SELECT count(DISTINCT s) FROM t").fetchall()[0][0] == 2_000_000
    con.close()
