# Parses Prometheus' text format from stdin with the Prometheus Python client's parser (Debian's
# python3-prometheus-client) and writes the families as JSON: [{name, type, help, samples: [{name, labels, value}]}].
import json
import sys

from prometheus_client.parser import text_string_to_metric_families

families = [
    {"name": family.name, "type": family.type, "help": family.documentation,
     "samples": [{"name": s.name, "labels": s.labels, "value": s.value} for s in family.samples]}
    for family in text_string_to_metric_families(sys.stdin.read())
]
json.dump(families, sys.stdout)
