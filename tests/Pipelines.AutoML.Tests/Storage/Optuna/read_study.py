# Opens a Pipelines study with Optuna's own loader and prints what Optuna sees, as JSON, for OptunaReadBackTests.
# usage: /usr/bin/python3 read_study.py STORAGE_URL STUDY_NAME
import json
import math
import sys

import optuna

optuna.logging.set_verbosity(optuna.logging.WARNING)
study = optuna.load_study(study_name=sys.argv[2], storage=sys.argv[1])


def number(x):
    return x if x is None or math.isfinite(x) else str(x)


print(json.dumps({
    "optuna": optuna.__version__,
    "direction": study.direction.name,
    "user_attrs": study.user_attrs,
    "trials": [{
        "number": t.number,
        "state": t.state.name,
        "params": t.params,
        "value": number(t.value) if t.values is not None else None,
        "intermediate_values": {str(k): number(v) for k, v in sorted(t.intermediate_values.items())},
        "user_attrs": t.user_attrs,
        "trainer": t.system_attrs.get("pipelines:trainer"),
    } for t in study.get_trials(deepcopy=False)],
}))
