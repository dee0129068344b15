"""Reference verdicts for JSONSchemaOracleTests, from Python's jsonschema (pinned in
scripts/install-deps.sh).

Reads lines {"schema": S, "instance": I} from stdin and prints, per line, "valid", "invalid" or
"error: ..." (a schema jsonschema itself rejects). The validator is the one the schema's $schema
names (draft-07 for the generator's draft-07 cases), 2020-12 otherwise. Formats are not asserted,
as in pie.
"""
import json
import sys

from jsonschema.validators import Draft202012Validator, validator_for


def main():
    for line in sys.stdin:
        case = json.loads(line)
        schema = case["schema"]
        try:
            cls = validator_for(schema, default=Draft202012Validator)
            cls.check_schema(schema)
            verdict = "valid" if cls(schema).is_valid(case["instance"]) else "invalid"
        except Exception as error:  # reported to the test, which fails on it
            verdict = "error: " + repr(error).replace("\n", " ")[:300]
        print(verdict)


main()
