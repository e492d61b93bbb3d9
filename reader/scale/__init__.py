"""Grouping past one machine: the index built by a Spark job (`newsreader index --engine
spark`). Imported only when that engine is asked for; pyspark is an optional extra."""
