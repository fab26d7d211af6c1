"""The fuzzy step on Splink's Spark backend (the national-scale path, docs/linkage.md) in local mode.

The model trained by `link()` on DuckDB is rebuilt for Spark (`settings_for_dialect`) and scores the same
fuzzy-step rows against the same registry candidates on a local[1] SparkSession (no network: the
similarity functions come from the jar shipped inside Splink). Both backends must find the same pairs
with the same match weights and so the same best link for every row.
"""

import logging
import os
import sys

import pytest

from bangfu.compare.linkage import link, model, pipeline
from bangfu.compare.linkage.synthetic import Damage, generate
from bangfu.compare.tests.test_linkage import VILLAGES, from_synthetic

SCHEMA = (
    "unique_id BIGINT, name STRING, name_py STRING, surname_py STRING, dob STRING, sex STRING, phone STRING, "
    "area4 STRING, area6 STRING, area9 STRING, area12 STRING, id_digits STRING, id_valid BOOLEAN"
)


@pytest.fixture(scope="module")
def spark(tmp_path_factory):
    from pyspark.sql import SparkSession
    from splink.backends.spark import similarity_jar_location

    # Python workers must run this interpreter, not the system python3.
    previous = {k: os.environ.get(k) for k in ("PYSPARK_PYTHON", "PYSPARK_DRIVER_PYTHON")}
    os.environ["PYSPARK_PYTHON"] = os.environ["PYSPARK_DRIVER_PYTHON"] = sys.executable
    session = (
        SparkSession.builder.master("local[1]")
        .appName("bangfu-linkage-test")
        .config("spark.jars", similarity_jar_location())
        .config("spark.ui.enabled", "false")
        .config("spark.sql.shuffle.partitions", "2")
        .config("spark.ui.showConsoleProgress", "false")
        .config("spark.driver.host", "127.0.0.1")
        .config("spark.driver.bindAddress", "127.0.0.1")
        .getOrCreate()
    )
    session.sparkContext.setLogLevel("ERROR")
    session.sparkContext.setCheckpointDir(str(tmp_path_factory.mktemp("spark-checkpoints")))
    yield session
    session.stop()
    for key, value in previous.items():
        if value is None:
            os.environ.pop(key, None)
        else:
            os.environ[key] = value


@pytest.mark.spark
def test_spark_backend_scores_like_duckdb(spark, monkeypatch):
    from splink import Linker, SparkAPI

    data = generate(1000, 1000, seed=21, damage=Damage(id_damaged=0.3), villages=VILLAGES)
    con = from_synthetic(data)
    monkeypatch.setattr(pipeline, "KEEP_WORK_TABLES", True)
    result = link(con)
    assert result.model is not None and result.fuzzy > 200

    columns = ", ".join(("unique_id", *model.FEATURE_COLUMNS))
    left = con.execute(f"SELECT {columns} FROM _lk_lres").fetchall()
    right = con.execute(f"SELECT {columns} FROM _lk_rcand").fetchall()
    duck = {
        (row_no, person): bf
        for row_no, person, bf in con.execute("SELECT row_no, person_id, log2_bf FROM _lk_pred").fetchall()
    }

    db_api = SparkAPI(spark_session=spark)
    spark_left = db_api.register(
        spark.createDataFrame(left, SCHEMA), table_name="src", dataset_display_name="src"
    )
    spark_right = db_api.register(
        spark.createDataFrame(right, SCHEMA), table_name="reg", dataset_display_name="reg"
    )
    settings = model.settings_for_dialect(result.model, "spark")
    assert settings["sql_dialect"] == "spark"
    linker = Linker([spark_left, spark_right], settings, log_level=logging.WARNING)
    prior = model.log2_odds(settings["probability_two_random_records_match"])
    predictions = linker.inference.predict(threshold_match_weight=prior + 8, warning_mode="never")
    rows = predictions.as_record_list()
    on_spark = {}
    for r in rows:
        src_left = r["source_dataset_l"] == "src"
        key = (r["unique_id_l"], r["unique_id_r"]) if src_left else (r["unique_id_r"], r["unique_id_l"])
        on_spark[key] = r["match_weight"] - prior

    assert set(on_spark) == set(duck)
    assert all(abs(on_spark[k] - duck[k]) < 1e-6 for k in duck)

    # The same best link per row, and it is the person the truth names.
    def best(scored):
        top = {}
        for (row_no, person), bf in scored.items():
            if row_no not in top or (bf, -person) > (top[row_no][1], -top[row_no][0]):
                top[row_no] = (person, bf)
        return {row_no: person for row_no, (person, _) in top.items()}

    assert best(on_spark) == best(duck)
    truth = dict(con.execute("SELECT row_no, person_id FROM truth").fetchall())
    fuzzy = dict(con.execute("SELECT row_no, person_id FROM links WHERE method = 'fuzzy'").fetchall())
    assert all((row_no, person) in on_spark for row_no, person in fuzzy.items())
    correct = sum(truth[row_no] == person for row_no, person in fuzzy.items())
    assert correct / len(fuzzy) >= 0.995
