"""The contract: Avro schemas (the .avsc files are the source of truth), identifier types and
normalisation, and the Confluent wire-format codec. The leaf package: imports nothing of ours."""
