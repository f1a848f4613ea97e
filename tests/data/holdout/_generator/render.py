"""Regenerates the holdout batch (transcripts, manifest.csv, _expected.csv) from calls.py + meta.py.
Deterministic (seeded). Run: python3 tests/data/holdout/_generator/render.py"""
import sys, os, json, csv, io, random, uuid, datetime as dt
HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from calls import CALLS
from meta import MANI, LABELS, AGENTS

OUT = os.path.dirname(HERE)  # the holdout folder
os.makedirs(OUT, exist_ok=True)
rnd = random.Random(20240415)

def merge_plus(turns):
    """For non-txt formats, 'A+'/'C+' continuation lines join the previous turn."""
    out = []
    for s, t in turns:
        if s.endswith('+'):
            out[-1] = (out[-1][0], out[-1][1] + ' ' + t)
        else:
            out.append((s, t))
    return out

def timeline(turns, t0):
    """Assign (start, end) seconds to each turn (continuations count with their parent)."""
    res = []; t = t0
    for s, text in turns:
        w = len(text.split())
        if s.endswith('+'):
            st = res[-1][3] + 0.2
            en = st + max(1.0, w * 0.36)
            res.append((s, text, st, en)); t = en + rnd.uniform(0.4, 1.2); continue
        if s == 'A' and text.startswith('terima kasih sudah menunggu'):
            t += rnd.uniform(18, 40)  # hold
        dur = max(0.9, w * rnd.uniform(0.33, 0.42))
        res.append((s, text, round(t, 2), round(t + dur, 2)))
        t = t + dur + rnd.uniform(0.4, 1.6)
    return res

def thanks_offset(tl):
    for s, text, st, en in reversed(tl):
        if s.startswith('A') and ('menghubungi' in text):
            return st
    return None

def hms(x, ms=False, sep='.'):
    h = int(x // 3600); m = int(x % 3600 // 60); s = x % 60
    if ms:
        return f'{h:02d}:{m:02d}:{int(s):02d}{sep}{int(round((s-int(s))*1000)) % 1000:03d}'
    return f'{h:02d}:{m:02d}:{int(s):02d}'

def ms_(x):
    return f'{int(x//60):02d}:{int(x%60):02d}'

def wrap2(text, n=60):
    if len(text) <= n + 20: return [text]
    words = text.split(); a = []; 
    while words and len(' '.join(a + [words[0]])) <= len(text) // 2 + 5:
        a.append(words.pop(0))
    return [' '.join(a), ' '.join(words)]

def split_long(tl, maxw=18):
    """Split long turns into two segments (ASR segmentation) keeping the speaker."""
    out = []
    for s, text, st, en in tl:
        w = text.split()
        if len(w) > maxw:
            k = len(w) // 2 + rnd.randint(-2, 2)
            mid = st + (en - st) * k / len(w)
            out.append((s, ' '.join(w[:k]), st, round(mid, 2)))
            out.append((s, ' '.join(w[k:]), round(mid + 0.05, 2), en))
        else:
            out.append((s, text, st, en))
    return out

computed_start = {}

def resolve_start(key, tl):
    m = MANI.get(key)
    if not m: return None
    cs = m[2]
    if cs.startswith('AUTO:'):
        _, hh, mm, ss, date = cs.split(':')
        target = dt.datetime.fromisoformat(f'{date}T{hh}:{mm}:{ss}')
        off = thanks_offset(tl)
        start = target - dt.timedelta(seconds=round(off))
        cs = start.replace(microsecond=0).isoformat()
    computed_start[key] = cs
    return cs

csv_rows = []
TL = {}
for c in CALLS:
    key = c['key']; fmt = c['fmt']; turns = c['turns']
    tl = timeline(turns, c.get('t0', 0.5))
    TL[key] = tl
    resolve_start(key, tl)
    path = os.path.join(OUT, c['file'])
    enc = c.get('encoding', 'utf-8')
    if fmt.startswith('txt'):
        la, lc = c['labels']
        lines = []
        if fmt.endswith('_fm'):
            lines.append('---')
            for k, v in c['front_matter']:
                lines.append(f'{k}: {v}')
            lines.append('---')
        for s, text, st, en in tl:
            if s.endswith('+'):
                lines.append(text); continue
            lab = la if s == 'A' else lc
            if fmt == 'txt_hms': pre = f'[{hms(st)}] '
            elif fmt == 'txt_ms': pre = f'[{ms_(st)}] '
            elif fmt.startswith('txt_hmsms'): pre = f'[{hms(st, ms=True)}] '
            else: pre = ''
            lines.append(f'{pre}{lab}: {text}')
        data = '\n'.join(lines) + '\n'
        if key == 'T2':
            open(path, 'wb').write(b'\xef\xbb\xbf' + data.encode('utf-8'))
        elif enc == 'utf-16':
            open(path, 'wb').write(data.encode('utf-16'))
        elif enc == 'cp1252':
            b = data.encode('cp1252'); b.decode('cp1252')
            try: b.decode('utf-8'); raise SystemExit('cp1252 file is valid utf-8!')
            except UnicodeDecodeError: pass
            open(path, 'wb').write(b)
        else:
            open(path, 'w', encoding='utf-8').write(data)
    elif fmt.startswith('vtt'):
        la, lc = c['labels']
        tlm = split_long(tl, 24) if key in ('V1',) else tl
        tlm = [x for x in tlm]
        out = ['WEBVTT', '']
        if key == 'V3': out = ['WEBVTT - pln123 export', 'Kind: captions', 'Language: id', '']
        # merge continuation into previous
        merged = []
        for s, text, st, en in tlm:
            if s.endswith('+'):
                p = merged[-1]; merged[-1] = (p[0], p[1] + ' ' + text, p[2], en)
            else: merged.append((s, text, st, en))
        for i, (s, text, st, en) in enumerate(merged, 1):
            lab = la if s == 'A' else lc
            if key != 'V4': out.append(str(i))
            out.append(f'{hms(st, True)} --> {hms(en, True)}')
            if fmt == 'vtt_v':
                out.append(f'<v {lab}>{text}</v>' if key != 'V3' else f'<v {lab}>{text}')
            else:
                out.append(f'{lab}: {text}')
            out.append('')
        open(path, 'w', encoding='utf-8').write('\n'.join(out))
    elif fmt == 'srt':
        la, lc = c['labels']
        merged = []
        for s, text, st, en in split_long(tl, 22):
            merged.append((s, text, st, en))
        out = []
        for i, (s, text, st, en) in enumerate(merged, 1):
            lab = la if s == 'A' else lc
            out.append(str(i))
            out.append(f'{hms(st, True, ",")} --> {hms(en, True, ",")}')
            parts = wrap2(f'{lab}: {text}')
            out.extend(parts)
            out.append('')
        open(path, 'w', encoding='utf-8', newline='\r\n').write('\n'.join(out) + '\n')
    elif fmt.startswith('whisper'):
        ag = c['agent_label']; cu = 'SPEAKER_00' if ag == 'SPEAKER_01' else 'SPEAKER_01'
        segs = []
        for i, (s, text, st, en) in enumerate(split_long(tl, 20)):
            spk = ag if s == 'A' else cu
            if fmt == 'whisper':
                segs.append({'id': i, 'seek': int(st // 30) * 3000, 'start': round(st, 2), 'end': round(en, 2),
                             'text': ' ' + text, 'avg_logprob': round(rnd.uniform(-0.45, -0.12), 4),
                             'no_speech_prob': round(rnd.uniform(0.001, 0.08), 4), 'speaker': spk})
            else:
                segs.append({'start': round(st, 3), 'end': round(en, 3), 'text': ' ' + text, 'speaker': spk})
        if fmt == 'whisper':
            doc = {'text': ''.join(s['text'] for s in segs), 'segments': segs, 'language': 'id'}
        else:
            doc = {'segments': segs, 'language': 'id'}
        open(path, 'w', encoding='utf-8').write(json.dumps(doc, ensure_ascii=False, indent=1))
    elif fmt == 'aws':
        items = []
        for s, text, st, en in tl:
            items.append({'LoudnessScores': [round(rnd.uniform(60, 85), 2) for _ in range(max(1, int(en - st)))][:6],
                          'Content': text, 'Id': str(uuid.UUID(int=rnd.getrandbits(128))),
                          'BeginOffsetMillis': int(st * 1000), 'EndOffsetMillis': int(en * 1000),
                          'Sentiment': rnd.choice(['NEUTRAL', 'NEUTRAL', 'NEUTRAL', 'POSITIVE']),
                          'ParticipantRole': 'AGENT' if s == 'A' else 'CUSTOMER'})
        dur = int(tl[-1][3] * 1000) + 1200
        talk_a = sum(int((en - st) * 1000) for s, _, st, en in tl if s == 'A')
        talk_c = sum(int((en - st) * 1000) for s, _, st, en in tl if s == 'C')
        stem = os.path.splitext(c['file'])[0]
        doc = {'JobName': f'pln123-ca-{stem}', 'AccountId': '123456789012', 'JobStatus': 'COMPLETED',
               'LanguageCode': 'id-ID', 'Channel': 'VOICE',
               'Participants': [{'ParticipantRole': 'AGENT'}, {'ParticipantRole': 'CUSTOMER'}],
               'ContentMetadata': {'Output': 'Raw'},
               'Transcript': items,
               'Categories': {'MatchedCategories': [], 'MatchedDetails': {}},
               'ConversationCharacteristics': {
                   'NonTalkTime': {'Instances': [], 'TotalTimeMillis': max(0, dur - talk_a - talk_c)},
                   'Interruptions': {'InterruptionsByInterrupter': {}, 'TotalCount': 0, 'TotalTimeMillis': 0},
                   'TotalConversationDurationMillis': dur,
                   'Sentiment': {'OverallSentiment': {'AGENT': 1.2, 'CUSTOMER': 0.4},
                                 'SentimentByPeriod': {'QUARTER': {'AGENT': [], 'CUSTOMER': []}}},
                   'TalkSpeed': {'DetailsByParticipant': {'AGENT': {'AverageWordsPerMinute': 168},
                                                          'CUSTOMER': {'AverageWordsPerMinute': 151}}},
                   'TalkTime': {'DetailsByParticipant': {'AGENT': {'TotalTimeMillis': talk_a},
                                                         'CUSTOMER': {'TotalTimeMillis': talk_c}},
                                'TotalTimeMillis': talk_a + talk_c}}}
        open(path, 'w', encoding='utf-8').write(json.dumps(doc, ensure_ascii=False, indent=2))
    elif fmt == 'csv':
        la, lc = c['labels']
        for s, text, st, en in tl:
            lab = la if s == 'A' else lc
            if key == 'C3': lab = lab.lower()
            csv_rows.append([c['call_id'], lab, text, f'{st:.1f}'])

with open(os.path.join(OUT, 'utterances_batch7.csv'), 'w', encoding='utf-8', newline='') as f:
    w = csv.writer(f); w.writerow(['call_id', 'speaker', 'text', 'start']); w.writerows(csv_rows)

# ---- error files ----
aws_src = open(os.path.join(OUT, 'pln123_0501.json'), encoding='utf-8').read()
trunc = json.loads(aws_src)
trunc['JobName'] = 'pln123-ca-pln123_0901'
s = json.dumps(trunc, ensure_ascii=False, indent=2)
cut = s.find('"Content"', len(s) // 3)
open(os.path.join(OUT, 'pln123_0901.json'), 'w', encoding='utf-8').write(s[:cut + 40])
open(os.path.join(OUT, 'pln123_0902.vtt'), 'wb').close()
blob = b'ID3\x03\x00\x00\x00\x00\x0f\x76' + bytes(rnd.getrandbits(8) for _ in range(3000)) + b'\x00' * 64
open(os.path.join(OUT, 'pln123_0903.srt'), 'wb').write(blob)

# ---- manifest ----
bykey = {c['key']: c for c in CALLS}
rows = []
for c in CALLS:
    m = MANI.get(c['key'])
    if not m: continue
    cid, agent, cs, name, klb, topic, app, prod, tc = m
    aid, team = AGENTS[agent]
    rows.append([cid, c['file'], aid, agent.capitalize(), team, computed_start.get(c['key'], cs), name, klb, topic, app, prod, tc])
rows.append(['CC123-0901', 'pln123_0901.json', 'CSO-0877', 'Andi', 'Bandung-2', '2024-04-12T10:00:00', 'Sutrisno', 'tidak', 'tagihan', '', '', ''])
rows.sort(key=lambda r: r[0])
with open(os.path.join(OUT, 'manifest.csv'), 'w', encoding='utf-8', newline='') as f:
    w = csv.writer(f)
    w.writerow(['call_id', 'file', 'agent_id', 'agent_name', 'team', 'call_start', 'customer_name', 'klb', 'topic', 'has_pln_mobile', 'product', 'transfer_code'])
    w.writerows(rows)

# ---- expected ----
IDS = ['closing.integrity', 'closing.app_invitation', 'closing.thanks', 'closing.time_greeting', 'closing.customer_name',
       'closing.order', 'transfer.ask_product', 'transfer.destination', 'transfer.announcement']
ok = lambda x: x in ('pass', 'na')
exp = []
for c in CALLS:
    key = c['key']; lab, cov = LABELS[key]
    m = MANI.get(key)
    if m: cid = m[0]
    elif 'front_matter' in c: cid = dict(c['front_matter'])['call_id']
    else: cid = os.path.splitext(c['file'])[0]
    d = dict(zip(IDS, lab))
    ak = all(ok(d[i]) for i in ('closing.app_invitation', 'transfer.ask_product', 'transfer.destination', 'transfer.announcement'))
    sp = all(ok(d[i]) for i in IDS[:6])
    fcr = ok(d['closing.app_invitation']) and ok(d['transfer.destination'])
    exp.append([cid, c['file'], 'scored'] + list(lab) + [str(ak).lower(), str(sp).lower(), str(fcr).lower(), cov])
exp.append(['CC123-0901', 'pln123_0901.json', 'error'] + [''] * 12 + ['truncated AWS Call Analytics JSON (has a manifest row)'])
exp.append(['pln123_0902', 'pln123_0902.vtt', 'error'] + [''] * 12 + ['zero-byte .vtt, no manifest row'])
exp.append(['pln123_0903', 'pln123_0903.srt', 'error'] + [''] * 12 + ['binary blob (audio-like bytes) named .srt, no manifest row'])
order = {}
exp.sort(key=lambda r: (r[1], 0))
# keep csv calls in table order: stable sort above preserves it
with open(os.path.join(OUT, '_expected.csv'), 'w', encoding='utf-8', newline='') as f:
    w = csv.writer(f)
    w.writerow(['call_id', 'source', 'status'] + IDS + ['akurasi', 'salam_penutup', 'fcr', 'covers'])
    w.writerows(exp)

# ---- report local times of thank-you turns ----
for c in CALLS:
    key = c['key']; tl = TL[key]
    off = thanks_offset(tl)
    cs = computed_start.get(key) or (dict(c.get('front_matter', [])).get('call_start'))
    loc = None
    if cs and off is not None:
        loc = (dt.datetime.fromisoformat(cs) + dt.timedelta(seconds=off)).time().isoformat(timespec='seconds')
    size = os.path.getsize(os.path.join(OUT, c['file']))
    print(f"{key} {c['file']:24s} turns={len([t for t in tl if not t[0].endswith('+')]):2d} size={size:6d} start={cs} thanks_off={off} local={loc}")
