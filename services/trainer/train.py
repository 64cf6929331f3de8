#!/usr/bin/env python3
"""Trains Peregrine's scoring model: gradient-boosted trees (XGBoost) on the feature vectors that
`npm run features` exports, validated on the latest part of the history (a split by event time, so
that the model is judged on a future it did not see), written as an ONNX graph the scorer serves
with onnxruntime.

XGBoost's own exporters need packages Debian does not ship (onnxmltools), so the graph is built
here with onnx.helper from the booster's JSON dump: one ai.onnx.ml TreeEnsembleRegressor (its node
hit rates carry each node's cover, which Tree SHAP weighs by) and a Sigmoid. Called by
services/trainer/train.ts, which documents the options; run with Debian's python3 (python3-xgboost,
python3-sklearn, python3-onnx, python3-pandas).
"""
import argparse
import hashlib
import json
import sys

import numpy as np
import onnx
import pandas as pd
import xgboost
from onnx import TensorProto, helper
from sklearn.metrics import average_precision_score, roc_auc_score

META_COLUMNS = ["transaction_id", "account_id", "event_time", "fraud", "behaviour", "instance_id"]


def parse_args():
    parser = argparse.ArgumentParser()
    parser.add_argument("--input", required=True, help="CSV from npm run features")
    parser.add_argument("--out", required=True, help="the model file (.onnx)")
    parser.add_argument("--report", required=True, help="JSON written with the training's facts and validation figures")
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--trees", type=int, default=50)
    parser.add_argument("--depth", type=int, default=4)
    parser.add_argument("--learning-rate", type=float, default=0.1)
    parser.add_argument("--validation", type=float, default=0.2, help="the latest fraction of the history, by event time, kept for validation")
    parser.add_argument("--reference-rows", type=int, default=0, help="validation rows whose margins and SHAP values XGBoost computes, for the scorer's tests")
    return parser.parse_args()


def split_by_time(frame, fraction):
    frame = frame.sort_values(["event_time", "transaction_id"], kind="mergesort").reset_index(drop=True)
    cut = int(round(len(frame) * (1 - fraction)))
    return frame.iloc[:cut], frame.iloc[cut:], int(frame["event_time"].iloc[cut]) if cut < len(frame) else None


def recall_at_false_alert_rate(frame, scores, rate):
    """Instances caught (any payment scoring at least the threshold) at the threshold that flags
    `rate` of the legitimate payments, and the threshold."""
    legitimate = np.sort(scores[frame["fraud"].to_numpy() == 0])
    if len(legitimate) == 0:
        return None, None
    index = min(len(legitimate) - 1, int(np.floor(len(legitimate) * (1 - rate))))
    threshold = float(np.nextafter(legitimate[index], np.float32(2)))
    fraud = frame["fraud"].to_numpy() == 1
    instances = frame.loc[fraud, "instance_id"].fillna(frame.loc[fraud, "transaction_id"])
    caught = pd.Series(scores[fraud] >= threshold, index=instances.index).groupby(instances.to_numpy()).max()
    return (float(caught.mean()) if len(caught) > 0 else None), threshold


def tree_ensemble(booster):
    """The booster's trees as one TreeEnsembleRegressor node's attributes (ai.onnx.ml, opset 3)."""
    attributes = {
        "nodes_treeids": [], "nodes_nodeids": [], "nodes_featureids": [], "nodes_values": [], "nodes_hitrates": [],
        "nodes_modes": [], "nodes_truenodeids": [], "nodes_falsenodeids": [], "nodes_missing_value_tracks_true": [],
        "target_treeids": [], "target_nodeids": [], "target_ids": [], "target_weights": [],
    }

    def walk(tree_id, node):
        attributes["nodes_treeids"].append(tree_id)
        attributes["nodes_nodeids"].append(node["nodeid"])
        attributes["nodes_hitrates"].append(float(node["cover"]))
        if "leaf" in node:
            for key, value in (("nodes_featureids", 0), ("nodes_values", 0.0), ("nodes_truenodeids", 0), ("nodes_falsenodeids", 0), ("nodes_missing_value_tracks_true", 0)):
                attributes[key].append(value)
            attributes["nodes_modes"].append("LEAF")
            attributes["target_treeids"].append(tree_id)
            attributes["target_nodeids"].append(node["nodeid"])
            attributes["target_ids"].append(0)
            attributes["target_weights"].append(float(node["leaf"]))
            return
        # Trained on arrays, the booster names its columns f0, f1, ... in the features' order.
        attributes["nodes_featureids"].append(int(node["split"][1:]))
        attributes["nodes_values"].append(float(node["split_condition"]))
        attributes["nodes_modes"].append("BRANCH_LT")
        attributes["nodes_truenodeids"].append(node["yes"])
        attributes["nodes_falsenodeids"].append(node["no"])
        attributes["nodes_missing_value_tracks_true"].append(1 if node["missing"] == node["yes"] else 0)
        for child in node["children"]:
            walk(tree_id, child)

    for tree_id, dump in enumerate(booster.get_dump(dump_format="json", with_stats=True)):
        walk(tree_id, json.loads(dump))
    return attributes


def onnx_model(booster, features, base_margin):
    ensemble = helper.make_node(
        "TreeEnsembleRegressor", ["features"], ["margin"], domain="ai.onnx.ml",
        n_targets=1, aggregate_function="SUM", base_values=[base_margin], post_transform="NONE",
        **tree_ensemble(booster),
    )
    sigmoid = helper.make_node("Sigmoid", ["margin"], ["probability"])
    graph = helper.make_graph(
        [ensemble, sigmoid], "peregrine-scoring",
        [helper.make_tensor_value_info("features", TensorProto.FLOAT, [None, len(features)])],
        [helper.make_tensor_value_info("probability", TensorProto.FLOAT, [None, 1])],
    )
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17), helper.make_opsetid("ai.onnx.ml", 3)], producer_name="peregrine-trainer")
    model.ir_version = 8
    onnx.checker.check_model(model)
    return model


def main():
    args = parse_args()
    frame = pd.read_csv(args.input, dtype={"transaction_id": str, "account_id": str, "behaviour": str, "instance_id": str})
    features = [c for c in frame.columns if c not in META_COLUMNS]
    train, validation, validation_from = split_by_time(frame, args.validation)
    x_train = train[features].to_numpy(dtype=np.float32)
    y_train = train["fraud"].to_numpy()
    positives = int(y_train.sum())
    if positives == 0:
        sys.exit("the training part of the history holds no fraud label: record or simulate a longer one")
    # Fraud is rare: weigh it up, by the square root of the imbalance, so that trees split on it at all.
    weight = float(np.sqrt((len(y_train) - positives) / positives))
    model = xgboost.XGBClassifier(
        n_estimators=args.trees, max_depth=args.depth, learning_rate=args.learning_rate, subsample=0.8, colsample_bytree=0.8,
        scale_pos_weight=weight, base_score=0.5, tree_method="hist", n_jobs=1, random_state=args.seed, eval_metric="aucpr",
    )
    model.fit(x_train, y_train)
    booster = model.get_booster()
    graph = onnx_model(booster, features, 0.0)  # base_score 0.5 is a margin of 0
    content = graph.SerializeToString()
    with open(args.out, "wb") as out:
        out.write(content)

    x_validation = validation[features].to_numpy(dtype=np.float32)
    y_validation = validation["fraud"].to_numpy()
    scores = model.predict_proba(x_validation)[:, 1] if len(validation) > 0 else np.array([])
    figures = {}
    if len(validation) > 0 and 0 < y_validation.sum() < len(y_validation):
        figures = {"averagePrecision": float(average_precision_score(y_validation, scores)), "rocAuc": float(roc_auc_score(y_validation, scores))}
        for rate in (0.001, 0.005, 0.01):
            recall, threshold = recall_at_false_alert_rate(validation, scores, rate)
            figures[f"instanceRecallAtFalseAlertRate{rate}"] = {"recall": recall, "threshold": threshold}
    reference = []
    if args.reference_rows > 0 and len(validation) > 0:
        rows = x_validation[: args.reference_rows]
        matrix = xgboost.DMatrix(rows, missing=np.nan)
        margins = booster.predict(matrix, output_margin=True)
        contributions = booster.predict(matrix, pred_contribs=True)
        reference = [{"row": [None if np.isnan(v) else float(v) for v in row], "margin": float(m), "shap": [float(c) for c in contrib[:-1]], "bias": float(contrib[-1])} for row, m, contrib in zip(rows, margins, contributions)]
    report = {
        "sha256": hashlib.sha256(content).hexdigest(),
        "library": f"xgboost {xgboost.__version__}",
        "parameters": {"trees": args.trees, "depth": args.depth, "learningRate": args.learning_rate, "subsample": 0.8, "columnSample": 0.8, "positiveWeight": weight, "seed": args.seed},
        "rows": {"train": len(train), "trainFraud": positives, "validation": len(validation), "validationFraud": int(y_validation.sum())},
        "validationFrom": validation_from,
        "validation": figures,
        "reference": reference,
    }
    with open(args.report, "w") as out:
        json.dump(report, out)


if __name__ == "__main__":
    main()
