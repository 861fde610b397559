"""Checks the numbers of `modelc evaluate --report` against scikit-learn (run by check-report-sklearn.sh).

1. The small cases Tests/ModelCTests/ReportStatisticsTests.swift works out by hand, computed by sklearn.
2. Tiny models trained by modelc (binary sigmoid, 3-class softmax with sparse and with one-hot labels,
   3 sigmoid units multi-label, a 2-column regression) on test sets with repeated rows (tied scores): every statistic in the report's
   test_statistics.json against sklearn on `modelc predict`'s outputs for the same test inputs.

Usage: python check-report-sklearn.py MODELC [--verbose]   Prints each group of checks (--verbose: every check
with both values) and every disagreement; exit status 1 if any failed.
"""
import json
import os
import subprocess
import sys
import tempfile

import numpy as np
import sklearn
from sklearn.calibration import calibration_curve
from sklearn.metrics import (average_precision_score, classification_report, confusion_matrix, explained_variance_score,
                             mean_absolute_error, mean_squared_error, r2_score, roc_auc_score)

failures = 0
checks = 0


verbose = "--verbose" in sys.argv
group_checks = 0


def group(title):
    """Starts a group of checks; prints how many the previous one made."""
    global group_checks
    if group_checks:
        print(f"  {group_checks} checks")
    group_checks = 0
    if title:
        print(title)


def check(what, ours, theirs, tolerance=1e-9):
    global failures, checks, group_checks
    checks += 1
    group_checks += 1
    if verbose:
        print(f"  {what}: modelc {ours}, sklearn {theirs}")
    ok = ours is not None and abs(float(ours) - float(theirs)) <= tolerance * max(1.0, abs(float(theirs)))
    if not ok:
        failures += 1
        print(f"FAIL {what}: modelc {ours}, sklearn {theirs}")
    return ok


def hand_cases():
    group("hand-worked cases of ReportStatisticsTests (per-class scores, averages, confusion matrix, ROC AUC and AP with ties, calibration bins, R²):")
    truth, predicted = [0, 0, 1, 1, 1, 2, 2], [0, 1, 1, 1, 1, 0, 0]
    report = classification_report(truth, predicted, labels=[0, 1, 2], output_dict=True, zero_division=0)
    expected = {"0": (1 / 3, 1 / 2, 0.4, 2), "1": (3 / 4, 1, 6 / 7, 3), "2": (0, 0, 0, 2)}
    for label, (p, r, f, s) in expected.items():
        for key, value in zip(("precision", "recall", "f1-score", "support"), (p, r, f, s)):
            check(f"class {label} {key}", value, report[label][key])
    check("macro precision", 13 / 36, report["macro avg"]["precision"])
    check("macro f1", 8.8 / 21, report["macro avg"]["f1-score"])
    check("weighted precision", 5 / 12, report["weighted avg"]["precision"])
    check("weighted f1", 23.6 / 49, report["weighted avg"]["f1-score"])
    check("accuracy", 4 / 7, report["accuracy"])
    assert confusion_matrix(truth, predicted).tolist() == [[1, 1, 0], [0, 3, 0], [2, 0, 0]]
    scores, labels = [0.9, 0.8, 0.8, 0.4, 0.4, 0.1], [1, 1, 0, 1, 0, 0]
    check("ROC AUC with ties", 7 / 9, roc_auc_score(labels, scores))
    check("average precision with ties", 34 / 45, average_precision_score(labels, scores))
    check("tied scores AUC", 0.5, roc_auc_score([0, 0, 1, 1], [0.5] * 4))
    check("tied scores AP", 0.5, average_precision_score([0, 0, 1, 1], [0.5] * 4))
    check("all positive AP", 1.0, average_precision_score([1, 1], [0.2, 0.9]))
    prob_true, prob_pred = calibration_curve([0, 1, 0, 1, 1, 0], [0.05, 0.1, 0.15, 0.95, 1.0, 0.3], n_bins=10)
    for ours, theirs in zip([0.5, 0, 0, 1], prob_true):
        check("calibration fraction positive", ours, theirs)
    for ours, theirs in zip([0.075, 0.15, 0.3, 0.975], prob_pred):
        check("calibration mean predicted", ours, theirs)
    check("R²", 0.8, r2_score([1, 2, 3, 4], [1, 2, 3, 5]))
    check("explained variance", 0.85, explained_variance_score([1, 2, 3, 4], [1, 2, 3, 5]))
    # The multi-class section of ReportStatisticsTests: one-vs-rest AUC of a and b.
    probabilities = np.array([[0.7, 0.2, 0.1], [0.3, 0.6, 0.1], [0.5, 0.4, 0.1], [0.2, 0.3, 0.5]])
    check("one-vs-rest AUC of a", 0.5, roc_auc_score(np.array([0, 1, 1, 0]) == 0, probabilities[:, 0]))
    check("one-vs-rest AUC of b", 1.0, roc_auc_score(np.array([0, 1, 1, 0]) == 1, probabilities[:, 1]))


def run(arguments):
    result = subprocess.run(arguments, capture_output=True, text=True)
    if result.returncode != 0:
        sys.exit(f"{' '.join(arguments)} failed ({result.returncode}):\n{result.stderr}")
    return result.stdout


def train_and_report(modelc, folder, name, layers, loss, x, y, x_test, y_test, epochs=8):
    os.makedirs(folder, exist_ok=True)
    for file, array in (("x.npy", x), ("y.npy", y), ("x_test.npy", x_test), ("y_test.npy", y_test)):
        np.save(os.path.join(folder, file), array)
    spec = os.path.join(folder, name + ".yaml")
    with open(spec, "w") as f:
        f.write(f"input: [{x.shape[1]}]\nlayers: [{layers}]\n"
                f"compile: {{optimizer: {{Adam: {{learning_rate: 0.05}}}}, loss: {loss}, metrics: [{'mae' if loss == 'mse' else 'accuracy'}]}}\n"
                f"fit: {{epochs: {epochs}, batch_size: 16, seed: 3}}\n"
                "data:\n  train: {x: x.npy, y: y.npy}\n  test: {x: x_test.npy, y: y_test.npy}\n")
    run([modelc, "train", spec, "--run-dir", os.path.join(folder, "run")])
    run([modelc, "predict", spec, "--weights", os.path.join(folder, "run", "weights.safetensors"),
         "--input", os.path.join(folder, "x_test.npy"), "--output", os.path.join(folder, "p.npy")])
    with open(os.path.join(folder, "run", "report", "test_statistics.json")) as f:
        statistics = json.load(f)
    return statistics, np.load(os.path.join(folder, "p.npy"))


def check_classes(what, section, truth, predicted, classes):
    report = classification_report(truth, predicted, labels=list(range(len(classes))), output_dict=True, zero_division=0)
    for index, name in enumerate(classes):
        for ours, theirs in (("precision", "precision"), ("recall", "recall"), ("f1", "f1-score"), ("support", "support")):
            check(f"{what} {name} {ours}", section["per_class"][name][ours], report[str(index)][theirs])
    for ours, theirs in (("macro_avg", "macro avg"), ("weighted_avg", "weighted avg")):
        for key, their_key in (("precision", "precision"), ("recall", "recall"), ("f1", "f1-score")):
            check(f"{what} {ours} {key}", section[ours][key], report[theirs][their_key])
    check(f"{what} accuracy", section["accuracy"], report["accuracy"])
    matrix = confusion_matrix(truth, predicted, labels=list(range(len(classes))))
    if section["confusion_matrix"]["counts"] != matrix.tolist():
        global failures
        failures += 1
        print(f"FAIL {what} confusion matrix: modelc {section['confusion_matrix']['counts']}, sklearn {matrix.tolist()}")
    normalized = confusion_matrix(truth, predicted, labels=list(range(len(classes))), normalize="true")
    for row, their_row in zip(section["confusion_matrix"]["normalized"], np.nan_to_num(normalized)):
        for ours, theirs in zip(row, their_row):
            check(f"{what} normalized confusion", ours, theirs)


def check_calibration(what, bins, truth, probabilities):
    prob_true, prob_pred = calibration_curve(truth, probabilities, n_bins=10)
    filled = [b for b in bins if b["count"] > 0]
    check(f"{what} calibration filled bins", len(filled), len(prob_true))
    for b, t, p in zip(filled, prob_true, prob_pred):
        check(f"{what} calibration fraction positive", b["fraction_positive"], t)
        check(f"{what} calibration mean predicted", b["mean_predicted"], p, 1e-6)


def models(modelc, work):
    random = np.random.default_rng(5)
    # Binary: 2 features; the test set repeats its rows, so scores tie.
    x = random.normal(size=(120, 2)).astype(np.float32)
    y = (x[:, 0] + 0.7 * random.normal(size=120) > 0).astype(np.float32)
    x_test = np.repeat(random.normal(size=(30, 2)).astype(np.float32), 2, axis=0)
    y_test = (x_test[:, 0] + 0.7 * random.normal(size=60) > 0).astype(np.float32)
    statistics, p = train_and_report(modelc, os.path.join(work, "binary"), "binary", "Dense 4 tanh, Dense 1 sigmoid",
                                     "binary_crossentropy", x, y, x_test, y_test)
    section = statistics["outputs"]["dense_1"]
    scores = p[:, 0]
    group(f"binary sigmoid: {len(scores)} test samples, {len(scores) - len(np.unique(scores))} of them tied with another score:")
    check_classes("binary", section, y_test.astype(int), (scores > 0.5).astype(int), ["0", "1"])
    check("binary ROC AUC", section["roc_auc"], roc_auc_score(y_test, scores))
    check("binary average precision", section["average_precision"], average_precision_score(y_test, scores))
    check_calibration("binary", section["calibration"], y_test, scores)
    check("binary accuracy = Keras's", section["accuracy"], statistics["metrics"]["accuracy"], 1e-6)

    # Three classes, sparse and one-hot labels.
    for loss in ("sparse_categorical_crossentropy", "categorical_crossentropy"):
        x = random.normal(size=(150, 4)).astype(np.float32)
        labels = np.argmax(x[:, :3] + 0.8 * random.normal(size=(150, 3)), axis=1)
        x_test = np.repeat(random.normal(size=(40, 4)).astype(np.float32), 2, axis=0)
        labels_test = np.argmax(x_test[:, :3] + 0.8 * random.normal(size=(80, 3)), axis=1)
        sparse = loss.startswith("sparse")
        y, y_test = (labels, labels_test) if sparse else (np.eye(3, dtype=np.float32)[labels], np.eye(3, dtype=np.float32)[labels_test])
        statistics, p = train_and_report(modelc, os.path.join(work, loss), "multi", "Dense 8 relu, Dense 3 softmax", loss,
                                         x, y.astype(np.int64) if sparse else y, x_test, y_test.astype(np.int64) if sparse else y_test)
        section = statistics["outputs"]["dense_1"]
        what = "multiclass " + ("sparse" if sparse else "one-hot")
        group(f"3-class softmax, {'sparse' if sparse else 'one-hot'} labels, {len(labels_test)} test samples (rows repeated):")
        check_classes(what, section, labels_test, np.argmax(p, axis=1), ["0", "1", "2"])
        for c in range(3):
            check(f"{what} class {c} one-vs-rest ROC AUC", section["per_class"][str(c)]["roc_auc"], roc_auc_score(labels_test == c, p[:, c]))
            check(f"{what} class {c} average precision", section["per_class"][str(c)]["average_precision"],
                  average_precision_score(labels_test == c, p[:, c]))
            check_calibration(f"{what} class {c}", section["calibration"][str(c)], labels_test == c, p[:, c])
        check(f"{what} macro ROC AUC", section["roc_auc_macro"], roc_auc_score(labels_test, p, multi_class="ovr", average="macro"))
        onehot = np.eye(3)[labels_test]
        check(f"{what} macro average precision", section["average_precision_macro"], average_precision_score(onehot, p, average="macro"))

    # Multi-label: 3 sigmoid units under binary_crossentropy, each class present or not on its own.
    x = random.normal(size=(150, 3)).astype(np.float32)
    y = (x + 0.6 * random.normal(size=(150, 3)) > 0.3).astype(np.float32)
    x_test = np.repeat(random.normal(size=(40, 3)).astype(np.float32), 2, axis=0)
    y_test = (x_test + 0.6 * random.normal(size=(80, 3)) > 0.3).astype(np.float32)
    statistics, p = train_and_report(modelc, os.path.join(work, "multilabel"), "multilabel", "Dense 8 tanh, Dense 3 sigmoid",
                                     "binary_crossentropy", x, y, x_test, y_test)
    section = statistics["outputs"]["dense_1"]
    group(f"multi-label, 3 sigmoid units, {len(y_test)} test samples (rows repeated):")
    decided = (p > 0.5).astype(int)
    truth = y_test.astype(int)
    report = classification_report(truth, decided, output_dict=True, zero_division=0)
    for c in range(3):
        for ours, theirs in (("precision", "precision"), ("recall", "recall"), ("f1", "f1-score"), ("support", "support")):
            check(f"multilabel class {c} {ours}", section["per_class"][str(c)][ours], report[str(c)][theirs])
        check(f"multilabel class {c} ROC AUC", section["per_class"][str(c)]["roc_auc"], roc_auc_score(truth[:, c], p[:, c]))
        check(f"multilabel class {c} AP", section["per_class"][str(c)]["average_precision"], average_precision_score(truth[:, c], p[:, c]))
        check_calibration(f"multilabel class {c}", section["calibration"][str(c)], truth[:, c], p[:, c])
    for ours, theirs in (("macro_avg", "macro avg"), ("weighted_avg", "weighted avg"), ("micro_avg", "micro avg")):
        for key, their_key in (("precision", "precision"), ("recall", "recall"), ("f1", "f1-score")):
            check(f"multilabel {ours} {key}", section[ours][key], report[theirs][their_key])
    from sklearn.metrics import accuracy_score
    check("multilabel subset accuracy", section["subset_accuracy"], accuracy_score(truth, decided))
    # Keras's "accuracy" for several units is categorical_accuracy (argmax), so compare with binary accuracy itself.
    check("multilabel label accuracy (binary accuracy)", section["label_accuracy"], float(np.mean(decided == truth)))
    check("multilabel macro ROC AUC", section["roc_auc_macro"], roc_auc_score(truth, p, average="macro"))
    check("multilabel macro AP", section["average_precision_macro"], average_precision_score(truth, p, average="macro"))

    # Regression, two columns.
    x = random.uniform(-1, 1, size=(150, 3)).astype(np.float32)
    y = np.stack([2 * x[:, 0] - x[:, 1], 3 * x[:, 2] ** 2], axis=1).astype(np.float32) + 0.1 * random.normal(size=(150, 2)).astype(np.float32)
    x_test = random.uniform(-1, 1, size=(50, 3)).astype(np.float32)
    y_test = np.stack([2 * x_test[:, 0] - x_test[:, 1], 3 * x_test[:, 2] ** 2], axis=1).astype(np.float32)
    statistics, p = train_and_report(modelc, os.path.join(work, "regression"), "regression", "Dense 16 tanh, Dense 2", "mse",
                                     x, y, x_test, y_test, epochs=15)
    section = statistics["outputs"]["dense_1"]
    group(f"regression, 2 columns, {len(y_test)} test samples:")
    for column, name in enumerate(("value_0", "value_1")):
        ours = section["columns"][name]
        t, q = y_test[:, column].astype(np.float64), p[:, column].astype(np.float64)
        check(f"regression {name} MSE", ours["mse"], mean_squared_error(t, q))
        check(f"regression {name} MAE", ours["mae"], mean_absolute_error(t, q))
        check(f"regression {name} RMSE", ours["rmse"], mean_squared_error(t, q) ** 0.5)
        check(f"regression {name} R²", ours["r2"], r2_score(t, q))
        check(f"regression {name} explained variance", ours["explained_variance"], explained_variance_score(t, q))
    check("regression uniform average R²", section["uniform_average"]["r2"], r2_score(y_test.astype(np.float64), p.astype(np.float64)))
    check("regression loss = mean MSE", statistics["loss"], section["uniform_average"]["mse"], 1e-5)


def main():
    arguments = [a for a in sys.argv[1:] if a != "--verbose"]
    if len(arguments) != 1:
        sys.exit("usage: python check-report-sklearn.py MODELC [--verbose]")
    print(f"scikit-learn {sklearn.__version__}, numpy {np.__version__}")
    hand_cases()
    with tempfile.TemporaryDirectory(prefix="modelc-report-check-") as work:
        models(arguments[0], work)
    group(None)
    print(f"{checks - failures} of {checks} checks agree with scikit-learn")
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
