"""Apply the settled audit decisions to corpus/labels/<id>.yaml of the test half's original 64.
Lead's tool. Records each change in the file's notes.audit and prints a summary table (markdown)."""
import json, sys
from pathlib import Path
import yaml
sys.path.insert(0, "/work/main/bench")
import corpus

LAB = Path("/work/main/corpus/labels")
S = Path("/work/audit/settle")
key = json.loads(Path("/work/audit-key.json").read_text())
changed: dict[str, list[str]] = {}
docs: dict[str, dict] = {}

def doc(pid):
    if pid not in docs:
        docs[pid] = yaml.safe_load((LAB / f"{pid}.yaml").read_text())
    return docs[pid]

rows = []
for item in yaml.safe_load((S / "policies.decided.yaml").read_text()) or []:
    pid, pr, dec = item["id"], item["practice"], item["decided"]
    d = doc(pid)
    old = corpus.expected_fact(d, pr)
    new = {k: dec[k] for k in ("value", "quote", "accept") if k in dec and dec[k] not in (None, [], "")}
    if pr == "opt_out_signals":
        d.setdefault("notes", {})["gpc"] = new["value"]
    else:
        d["facts"][pr] = new
    same = old.get("value") == new["value"] and sorted(old.get("accept") or []) == sorted(new.get("accept") or [])
    if not same:
        msg = f"{pr} {old.get('value')}{'/' + '/'.join(old['accept']) if old.get('accept') else ''} -> {new['value']}" \
              f"{'/' + '/'.join(new['accept']) if new.get('accept') else ''}"
        changed.setdefault(pid, []).append(msg)
        rows.append(f"| {pid} | {pr} | {old.get('value')} | {new['value']}{' (accept ' + ', '.join(new['accept']) + ')' if new.get('accept') else ''} | {item.get('why','')} |")
srows = []
for s, dec in (yaml.safe_load((S / "sentences.decided.yaml").read_text()) or {}).items():
    pid, j = key[str(s)]
    d = doc(pid)
    sent = d["sentences"][j]
    old = {k: str(v) for k, v in (sent.get("labels") or {}).items()}
    new = {k: str(v) for k, v in (dec.get("labels") or {}).items() if k != "opt_out_signals"}  # sentence labels carry no GPC
    if old != new:
        sent["labels"] = new
        changed.setdefault(pid, []).append(f"sentence {j + 1}: {old or '{}'} -> {new or '{}'}")
        srows.append((pid, j + 1, old, new))
for pid, d in docs.items():
    if pid in changed:
        d.setdefault("notes", {})["audit"] = ("2026-12-02 audit of the test half (independent reading, then settled "
            "against LABELLING.md, corpus/README.md 'Round 5 audit'): " + "; ".join(changed[pid]))
        (LAB / f"{pid}.yaml").write_text(yaml.safe_dump(d, sort_keys=False, allow_unicode=True, width=120))
print("\n".join(rows))
print(f"\n{len(rows)} whole-policy values changed in {len({r.split('|')[1] for r in rows})} policies;"
      f" {len(srows)} sentence labels changed in {len({p for p, *_ in srows})} policies")
from collections import Counter
c = Counter()
for pid, j, old, new in srows:
    for k in set(old) | set(new):
        if old.get(k) != new.get(k):
            c[(k, old.get(k, "-"), new.get(k, "-"))] += 1
for k, v in c.most_common():
    print(v, k)
