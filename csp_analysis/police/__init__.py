"""police.uk data: reading the archive, cleaning, the Parquet cache, district selection, national counts, outcomes."""
