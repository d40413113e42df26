"""Writes tools/fixtures/evaluator/bootstrap.json: bootstrap standard errors computed with Python's
own `random` module, following the procedure lm-evaluation-harness 0.4.9 describes in
lm_eval/api/metrics.py (resamples in chunks of min(1000, iters), chunk i drawn from
random.Random(i) with choices(xs, k=len(xs)); the Bessel-corrected deviation of the statistic).

  /usr/bin/python3 tools/reference/make_evaluator_fixtures.py
"""
import json
import math
import os
import random

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "fixtures", "evaluator")


def average(xs):
    total = 0.0
    for x in xs:
        total += x
    return total / len(xs)


def deviation(xs):
    mu = average(xs)
    return math.sqrt(sum((x - mu) ** 2 for x in xs) / (len(xs) - 1))


def ppl(xs):
    return math.exp(-average(xs))


def bootstrap(statistic, xs, iters):
    chunk = min(1000, iters)
    values = []
    for seed in range(iters // chunk):
        rng = random.Random()
        rng.seed(seed)
        for _ in range(chunk):
            values.append(statistic(rng.choices(xs, k=len(xs))))
    return deviation(values)


def main():
    os.makedirs(OUT, exist_ok=True)
    gen = random.Random(2024)
    lls = [-abs(gen.gauss(2.5, 1.5)) for _ in range(37)]
    first = random.Random()
    first.seed(0)
    cases = {
        "loglikelihoods": lls,
        "perplexity": ppl(lls),
        "perplexityStderr2500": bootstrap(ppl, lls, 2500),
        "meanStderr": deviation(lls) / math.sqrt(len(lls)),
        "random": {"seed0": [first.random() for _ in range(5)]},
    }
    big = random.Random()
    big.seed(2 ** 40 + 5)
    cases["random"]["seed2^40+5"] = [big.random() for _ in range(3)]
    seven = random.Random()
    seven.seed(7)
    cases["random"]["choices7"] = seven.choices(list(range(10, 60, 10)), k=12)
    with open(os.path.join(OUT, "bootstrap.json"), "w") as f:
        json.dump(cases, f, indent=1)
        f.write("\n")
    print("bootstrap:", cases["perplexityStderr2500"])


if __name__ == "__main__":
    main()
