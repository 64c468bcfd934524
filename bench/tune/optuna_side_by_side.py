#!/usr/bin/python3
"""Optuna's side of the TPE comparison (bench/tune/README.md).

Runs Optuna's samplers on Branin and Hartmann-6 with the same budget as
`go run ./bench/tune` (50 trials, seeds 0..9, one job) and prints the mean
and standard deviation of the best value per sampler. Needs python3-optuna
(apt-get install python3-optuna; 3.1.0 on Debian bookworm).

    /usr/bin/python3 bench/tune/optuna_side_by_side.py [-trials 50] [-seeds 10]
"""
import argparse
import json
import math
import os
import statistics
import subprocess

import numpy as np
import optuna
import warnings

warnings.filterwarnings("ignore", category=optuna.exceptions.ExperimentalWarning)

optuna.logging.set_verbosity(optuna.logging.WARNING)


def branin(x1, x2):
    a, b, c, r, s, t = 1.0, 5.1 / (4 * math.pi**2), 5 / math.pi, 6.0, 10.0, 1 / (8 * math.pi)
    return a * (x2 - b * x1**2 + c * x1 - r) ** 2 + s * (1 - t) * math.cos(x1) + s


ALPHA = [1.0, 1.2, 3.0, 3.2]
A = [[10, 3, 17, 3.5, 1.7, 8], [0.05, 10, 17, 0.1, 8, 14], [3, 3.5, 1.7, 10, 17, 8], [17, 8, 0.05, 10, 0.1, 14]]
P = [[1312, 1696, 5569, 124, 8283, 5886], [2329, 4135, 8307, 3736, 1004, 9991],
     [2348, 1451, 3522, 2883, 3047, 6650], [4047, 8828, 8732, 5743, 1091, 381]]


def hartmann6(x):
    f = 0.0
    for i in range(4):
        e = sum(A[i][j] * (x[j] - P[i][j] * 1e-4) ** 2 for j in range(6))
        f -= ALPHA[i] * math.exp(-e)
    return f


def obj_branin(trial):
    return branin(trial.suggest_float("x1", -5, 10), trial.suggest_float("x2", 0, 15))


def obj_hartmann(trial):
    return hartmann6([trial.suggest_float(f"x{j}", 0, 1) for j in range(6)])


SAMPLERS = {
    "random": lambda seed: optuna.samplers.RandomSampler(seed=seed),
    "tpe": lambda seed: optuna.samplers.TPESampler(seed=seed),
    "tpe-multivariate": lambda seed: optuna.samplers.TPESampler(seed=seed, multivariate=True),
    "cmaes": lambda seed: optuna.samplers.CmaEsSampler(seed=seed),
}


def gbdt_objective(path):
    root = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..")
    exe = "/tmp/mlwb-bench-tune"
    subprocess.run(["go", "build", "-o", exe, "./bench/tune"], cwd=root, check=True)
    srv = subprocess.Popen([exe, "-serve", path], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)

    def obj(trial):
        p = {
            "n_estimators": trial.suggest_int("n_estimators", 20, 200, log=True),
            "learning_rate": trial.suggest_float("learning_rate", 0.01, 0.3, log=True),
            "max_depth": trial.suggest_int("max_depth", 2, 8),
            "min_child_weight": trial.suggest_float("min_child_weight", 0.01, 20, log=True),
            "subsample": trial.suggest_float("subsample", 0.5, 1),
            "colsample_bytree": trial.suggest_float("colsample_bytree", 0.5, 1),
            "reg_lambda": trial.suggest_float("reg_lambda", 0.001, 10, log=True),
        }
        srv.stdin.write(json.dumps(p) + "\n")
        srv.stdin.flush()
        return float(srv.stdout.readline())

    return obj


def fix_logpdf():
    """Optuna 3.1's _truncnorm.logpdf returns log φ(z) − log Z without the
    − log σ of the change of variable, so the Parzen estimators it scores
    candidates with are not normalised (a component's density is multiplied
    by its σ). Optuna fixed it in 3.5 (issue #5109, pull request #5110);
    mlwb's estimators are normalised. This patch makes 3.1 behave as fixed."""
    from optuna.samplers._tpe import _truncnorm

    orig = _truncnorm.logpdf

    def logpdf(x, a, b, loc=0, scale=1):
        return orig(x, a, b, loc=loc, scale=scale) - np.log(scale)

    _truncnorm.logpdf = logpdf


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("-trials", type=int, default=50)
    ap.add_argument("-seeds", type=int, default=10)
    ap.add_argument("-samplers", default=",".join(SAMPLERS))
    ap.add_argument("-problems", default="branin,hartmann6")
    ap.add_argument("-gbdt", default="")
    ap.add_argument("-fix-logpdf", action="store_true",
                    help="patch Optuna 3.1's truncnorm.logpdf to subtract log(scale), as Optuna 3.5 does (issue #5109)")
    args = ap.parse_args()
    if args.fix_logpdf:
        fix_logpdf()
    print(f"optuna {optuna.__version__}: mean (sd) of the best value over {args.seeds} seeds, {args.trials} trials")
    problems = [("branin", obj_branin), ("hartmann6", obj_hartmann)]
    problems = [p for p in problems if p[0] in args.problems.split(",")]
    if args.gbdt:
        problems = [("gbdt", gbdt_objective(args.gbdt))]
    for pname, obj in problems:
        for sname in args.samplers.split(","):
            mk = SAMPLERS[sname]
            best = []
            for seed in range(args.seeds):
                st = optuna.create_study(sampler=mk(seed))
                st.optimize(obj, n_trials=args.trials)
                best.append(st.best_value)
            print(f"{pname:10s} {sname:17s} {statistics.mean(best):10.5f} ({statistics.stdev(best):.5f})")


if __name__ == "__main__":
    main()
