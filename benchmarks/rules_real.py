"""The rules alone over the in-scope labelled real documents of data/real_gold.json: contract-level P / R / F1
(required gaps positive, arguable ones neither way). Needs ../shared/corpus beside the checkout.

    python benchmarks/rules_real.py
"""
import json, sys
from pathlib import Path
sys.path.insert(0, str(Path(__file__).resolve().parent.parent / 'src'))
from castguard.scan import scan
from castguard.classify.rules import RuleDetector
corpus=Path(__file__).resolve().parent.parent.parent / 'shared' / 'corpus'
g=json.load(open(Path(__file__).resolve().parent.parent / 'data' / 'real_gold.json'))['documents']
for grp in ('ai_era/','cuad/'):
    tp=fp=fn=0; htp=hfn=0
    from castguard.classify.taxonomy import GAPS
    for d in g:
        if not d['file'].startswith(grp) or not d['in_scope']: continue
        rep=scan(corpus/d['file'], detector=RuleDetector())
        req={k for k,v in d['gaps'].items() if v['strength']=='required'}
        arg={k for k,v in d['gaps'].items() if v['strength']!='required'}
        pred={f.gap for f in rep.findings}-arg
        tp+=len(pred&req); fp+=len(pred-req); fn+=len(req-pred)
    P=tp/(tp+fp); R=tp/(tp+fn); print(grp, 'tp',tp,'fp',fp,'fn',fn,'P %.2f R %.2f F1 %.2f'%(P,R,2*P*R/(P+R)))
