"""Writes tools/fixtures/evaluator/glue_requests.json: the requests lm-evaluation-harness 0.4.9.1
builds for each row of tools/fixtures/evaluator/glue_rows.json (GLUE and SuperGLUE), by running the
harness's own task files: each default.yaml read with its `!function` references, its Jinja templates
rendered with the harness's Jinja environment, its Python utilities imported from the harness's
source (their heavy imports - datasets, transformers - stubbed, as only the prompt functions run),
and ConfigurableTask's dispatch for doc_to_text / doc_to_choice / doc_to_target and the target
delimiter ' '. Also the harness's metric aggregations (sklearn) on fixed vectors.

  # the harness's source at the tag (any checkout works):
  git -C lm-evaluation-harness archive v0.4.9.1 lm_eval | tar -x -C /tmp/harness
  # Debian's python3 with python3-jinja2, python3-yaml, python3-sklearn:
  /usr/bin/python3 tools/reference/make_glue_fixtures.py /tmp/harness
"""
import ast
import importlib.util
import json
import os
import sys
import types

import jinja2
import yaml

HERE = os.path.dirname(os.path.abspath(__file__))
FIX = os.path.join(HERE, "..", "fixtures", "evaluator")
HARNESS = sys.argv[1]
TASKS = os.path.join(HARNESS, "lm_eval", "tasks")


def function_from(path, name):
    """One top-level function (or class) of a harness source file, compiled alone (decorators dropped)."""
    tree = ast.parse(open(path).read())
    node = next(n for n in tree.body if isinstance(n, (ast.FunctionDef, ast.ClassDef)) and n.name == name)
    node.decorator_list = []
    namespace = {"re": __import__("re"), "np": __import__("numpy"), "math": __import__("math"), "random": __import__("random")}
    namespace.update({k: getattr(__import__("typing"), k) for k in ("Callable", "Sequence", "List", "Optional", "TypeVar")})
    namespace["T"] = namespace["TypeVar"]("T")
    exec(compile(ast.Module(body=[node], type_ignores=[]), path, "exec"), namespace)
    return namespace[name]


def stub(name, **attrs):
    module = types.ModuleType(name)
    module.__dict__.update(attrs)
    sys.modules[name] = module
    return module


# What the task utilities import: lm_eval.utils.general_detokenize and
# lm_eval.api.metrics.metric_max_over_ground_truths from the harness's source; the rest unused here.
stub("lm_eval")
stub("lm_eval.utils", general_detokenize=function_from(os.path.join(HARNESS, "lm_eval", "utils.py"), "general_detokenize"))
stub("lm_eval.api")
stub("lm_eval.api.metrics", metric_max_over_ground_truths=function_from(os.path.join(HARNESS, "lm_eval", "api", "metrics.py"), "metric_max_over_ground_truths"))
stub("datasets", Dataset=object)
stub("transformers")
stub("transformers.data")
stub("transformers.data.metrics")
stub("transformers.data.metrics.squad_metrics")

# lm_eval/utils.py's environment
ENV = jinja2.Environment(loader=jinja2.BaseLoader, undefined=jinja2.StrictUndefined, keep_trailing_newline=True)


def apply_template(template, doc):
    return ENV.from_string(template).render(**doc)


def load_yaml(path):
    folder = os.path.dirname(path)

    def function(loader, node):
        module_name, function_name = loader.construct_scalar(node).rsplit(".", 1)
        spec = importlib.util.spec_from_file_location(module_name, os.path.join(folder, module_name + ".py"))
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        return getattr(module, function_name)

    loader = type("Loader", (yaml.SafeLoader,), {})
    loader.add_constructor("!function", function)
    config = yaml.load(open(path), Loader=loader)
    if "include" in config:
        base = load_yaml(os.path.join(folder, config.pop("include")))
        base.update(config)
        config = base
    return config


def field_or_template(spec, doc, kind):
    """ConfigurableTask.doc_to_text / doc_to_target / doc_to_choice for the forms these tasks use."""
    if callable(spec):
        return spec(doc)
    if isinstance(spec, list):
        return spec
    if spec in doc:
        return doc[spec]
    rendered = apply_template(spec, doc)
    if kind == "choice":
        return ast.literal_eval(rendered)
    return ast.literal_eval(rendered) if rendered.isdigit() else rendered


CONFIGS = {
    "cola": "glue/cola/default.yaml", "mnli": "glue/mnli/default.yaml", "mnli_mismatch": "glue/mnli/mismatch.yaml",
    "mrpc": "glue/mrpc/default.yaml", "qnli": "glue/qnli/default.yaml", "qqp": "glue/qqp/default.yaml", "rte": "glue/rte/default.yaml",
    "sst2": "glue/sst2/default.yaml", "wnli": "glue/wnli/default.yaml", "boolq": "super_glue/boolq/default.yaml", "cb": "super_glue/cb/default.yaml",
    "copa": "super_glue/copa/default.yaml", "multirc": "super_glue/multirc/default.yaml", "record": "super_glue/record/default.yaml",
    "sglue_rte": "super_glue/rte/default.yaml", "wic": "super_glue/wic/default.yaml", "wsc": "super_glue/wsc/default.yaml",
}


class Rows(list):
    """What process_docs receives: `.map(fn)` as datasets.Dataset has it."""

    def map(self, fn):
        return Rows(fn(dict(d)) for d in self)


def requests_for(task, rows):
    config = load_yaml(os.path.join(TASKS, CONFIGS[task]))
    assert config["task"] == task, (config["task"], task)
    if "process_docs" in config:
        rows = config["process_docs"](Rows(rows))
    out = []
    for doc in rows:
        context = field_or_template(config["doc_to_text"], doc, "text")
        choices = field_or_template(config["doc_to_choice"], doc, "choice")
        target = field_or_template(config["doc_to_target"], doc, "target")
        gold = target if isinstance(target, int) else (choices.index(target) if target in choices else -100)
        delimiter = config.get("target_delimiter", " ")
        out.append({"context": context, "continuations": [f"{delimiter}{c}" for c in choices], "choices": choices, "gold": gold})
    return {"version": config["metadata"]["version"], "metrics": [m["metric"] for m in config["metric_list"]], "docs": out}


def metrics():
    from sklearn.metrics import f1_score, matthews_corrcoef

    cb = load_yaml(os.path.join(TASKS, CONFIGS["cb"]))["metric_list"][1]["aggregation"]
    cases = {
        "binary": ([1, 1, 1, 0, 0, 0, 1, 0, 1, 1, 0], [1, 0, 1, 0, 1, 0, 1, 0, 0, 1, 1]),
        "constant": ([1, 0, 1, 1], [1, 1, 1, 1]),
        "three": ([0, 1, 2, 0, 2, 1, 0, 2], [0, 2, 2, 1, 2, 1, 0, 0]),
    }
    # the harness's own bootstrap (_bootstrap_internal, chunks of 1,000 seeded 0, 1, ...) over its
    # own aggregations, and its sample_stddev
    metrics_py = os.path.join(HARNESS, "lm_eval", "api", "metrics.py")
    worker = function_from(metrics_py, "_bootstrap_internal")
    sample_stddev = function_from(metrics_py, "sample_stddev")
    harness_mcc = function_from(metrics_py, "matthews_corrcoef")
    harness_f1 = function_from(metrics_py, "f1_score")
    sample_stddev.__globals__["mean"] = function_from(metrics_py, "mean")

    def bootstrap(f, items, iters=2000):
        values = []
        for i in range(iters // 1000):
            values.extend(worker(f, 1000)((i, items)))
        return float(sample_stddev(values))

    out = {}
    for name, (golds, preds) in cases.items():
        items = list(zip(golds, preds))  # (gold, pred), as process_results makes them
        out[name] = {
            "golds": golds,
            "preds": preds,
            "mcc": float(matthews_corrcoef(golds, preds)),
            "f1": float(f1_score(golds, preds)) if set(golds) | set(preds) <= {0, 1} else None,
            "cb_f1": float(cb(items)),
            "mcc_stderr_2000": bootstrap(harness_mcc, items),
            "f1_stderr_2000": bootstrap(harness_f1, items) if set(golds) | set(preds) <= {0, 1} else None,
        }
    return out


rows = json.load(open(os.path.join(FIX, "glue_rows.json")))
result = {"harness": "lm-evaluation-harness v0.4.9.1", "tasks": {task: requests_for(task, task_rows) for task, task_rows in rows.items()}, "metrics": metrics()}
with open(os.path.join(FIX, "glue_requests.json"), "w") as f:
    json.dump(result, f, indent=1, ensure_ascii=False)
    f.write("\n")
print("wrote", os.path.join(FIX, "glue_requests.json"))
