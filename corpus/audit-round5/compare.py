"""Compare audit labels with the settled labels of the test half's original 64; write settlement work lists.

    python /work/audit-compare.py            -> /work/audit/settle/<batch>.yaml and a summary
Lead's tool: outside /work/audit so the auditors never see it.
"""
import json, sys
from pathlib import Path
import yaml
sys.path.insert(0, "/work/main/bench")
import corpus

A = Path("/work/audit")
LAB = Path("/work/main/corpus/labels")
PRACTICES = list(corpus.VOCABULARY)
out = A / "settle"; out.mkdir(exist_ok=True)
policy_items, agree, total = [], 0, 0
for L in "rstuv":
    for f in sorted((A / L).glob("*.yaml")):
        pid = f.name.split(".")[0]
        new = yaml.safe_load(f.read_text())
        old = yaml.safe_load((LAB / f"{pid}.yaml").read_text())
        for pr in PRACTICES + ["opt_out_signals"]:
            o, n = corpus.expected_fact(old, pr), corpus.expected_fact(new, pr)
            total += 1
            ok_old = {o["value"], *(o.get("accept") or [])}
            ok_new = {n["value"], *(n.get("accept") or [])}
            if o["value"] == n["value"] or (n["value"] in ok_old and o["value"] in ok_new):
                agree += 1
                continue
            policy_items.append({"id": pid, "practice": pr, "auditor": L,
                "earlier": {k: o[k] for k in ("value", "quote", "accept") if k in o},
                "earlier_note": ((old.get("notes") or {}).get("gpc" if pr == "opt_out_signals" else pr)),
                "audit": {k: n[k] for k in ("value", "quote", "accept") if k in n},
                "audit_note": ((new.get("notes") or {}).get("gpc" if pr == "opt_out_signals" else pr))})
print(f"whole-policy values: {agree}/{total} agree, {len(policy_items)} to settle")
# sentences
key = json.loads(Path("/work/audit-key.json").read_text())
sent_items, s_agree, s_total = [], 0, 0
for K in ("1", "2"):
    f = A / f"sentences-{K}.w.yaml"
    if not f.exists():
        continue
    got = yaml.safe_load(f.read_text()) or {}
    items = {it["n"]: it["text"] for it in yaml.safe_load((A / f"sentences-{K}.yaml").read_text())}
    for n, labels in got.items():
        pid, j = key[f"{K}:{n}"]
        old = yaml.safe_load((LAB / f"{pid}.yaml").read_text())["sentences"][j]["labels"] or {}
        new = {k: str(v) for k, v in (labels or {}).items()}
        old = {k: str(v) for k, v in old.items()}
        s_total += 1
        if old == new:
            s_agree += 1
            continue
        sent_items.append({"s": f"{K}:{n}", "text": items[n], "earlier": old, "audit": new})
print(f"sentences: {s_agree}/{s_total} agree, {len(sent_items)} to settle")
# batches for settlers
pol_batches = []
for i, b in enumerate(pol_batches, 1):
    (out / f"policies-{i}.yaml").write_text(yaml.safe_dump(b, allow_unicode=True, width=1000, sort_keys=False))
(out / "sentences.yaml").write_text(yaml.safe_dump(sent_items, allow_unicode=True, width=1000, sort_keys=False))
from collections import Counter
print(Counter(i["practice"] for i in policy_items))
print(Counter((i["practice"], i["earlier"]["value"], i["audit"]["value"]) for i in policy_items).most_common(30))
