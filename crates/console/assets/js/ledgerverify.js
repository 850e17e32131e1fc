// Verifies a ledger bundle (`GET /ledger/lots/{lot}/bundle`, format wuliu-ledger-bundle/2) in the
// browser, trusting nothing the server says about it: each event's leaf hash is recomputed from its
// stored bytes, each inclusion proof is checked up to the signed tree head's root (RFC 9162, SHA-256
// by WebCrypto), the tree head's and the lot heads' Ed25519 signatures are checked with WebCrypto,
// and the lot's hash chain must run unbroken from its first event to the signed head (so no event
// was left out). This mirrors crates/ledger/src/bundle.rs; failure codes are the same.
//
// The bytes hashed are exactly the bundle's `event_json` strings (the ledger stores and hashes the
// canonical JSON and the bundle carries it verbatim), encoded as UTF-8: nothing is re-serialised.

const enc = new TextEncoder();
const BUNDLE_FORMAT = 'wuliu-ledger-bundle/2';
const STH_CONTEXT = 'wuliu-ledger/tree-head/v1\0';
const LOT_HEAD_CONTEXT = 'wuliu-ledger/lot-head/v1\0';
const RECORD_KEY = 'wuliu:record';

/** Lowercase hex of bytes. */
export function toHex(bytes) {
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

/** Bytes of a hex string of exactly `len` bytes, or null. */
export function fromHex(text, len) {
  const s = String(text || '').trim();
  if (!/^[0-9a-fA-F]*$/.test(s) || s.length !== len * 2) return null;
  const out = new Uint8Array(len);
  for (let i = 0; i < len; i += 1) out[i] = parseInt(s.slice(2 * i, 2 * i + 2), 16);
  return out;
}

function concat(...parts) {
  const n = parts.reduce((a, p) => a + p.length, 0);
  const out = new Uint8Array(n);
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

function u64be(n) {
  const b = new Uint8Array(8);
  new DataView(b.buffer).setBigUint64(0, BigInt(n));
  return b;
}

function u32be(n) {
  const b = new Uint8Array(4);
  new DataView(b.buffer).setUint32(0, n);
  return b;
}

async function sha256(bytes) {
  return new Uint8Array(await crypto.subtle.digest('SHA-256', bytes));
}

/** RFC 9162 leaf hash of an event's stored JSON text: SHA-256(0x00 || UTF-8 bytes), as hex. */
export async function leafHash(eventJson) {
  return toHex(await sha256(concat(new Uint8Array([0]), enc.encode(eventJson))));
}

async function nodeHash(left, right) {
  return sha256(concat(new Uint8Array([1]), left, right));
}

/** RFC 9162 §2.1.3.2. Returns null when the proof holds, else a reason. */
export async function verifyInclusion(index, size, leafHex, pathHex, rootHex) {
  if (!(Number.isSafeInteger(index) && Number.isSafeInteger(size)) || index < 0 || index >= size) {
    return `leaf index ${index} is not below tree size ${size}`;
  }
  let fn = BigInt(index);
  let sn = BigInt(size - 1);
  let r = fromHex(leafHex, 32);
  for (const p of pathHex || []) {
    const ph = fromHex(p, 32);
    if (!ph || sn === 0n) return 'proof has the wrong length for the claimed sizes';
    if ((fn & 1n) === 1n || fn === sn) {
      r = await nodeHash(ph, r);
      if ((fn & 1n) === 0n) {
        while ((fn & 1n) === 0n && fn !== 0n) {
          fn >>= 1n;
          sn >>= 1n;
        }
      }
    } else {
      r = await nodeHash(r, ph);
    }
    fn >>= 1n;
    sn >>= 1n;
  }
  if (sn !== 0n) return 'proof has the wrong length for the claimed sizes';
  if (toHex(r) !== String(rootHex).toLowerCase()) return 'recomputed root does not match the signed root';
  return null;
}

/** Whether this browser's WebCrypto verifies Ed25519 signatures. */
export async function ed25519Supported() {
  try {
    await crypto.subtle.importKey('raw', new Uint8Array(32).fill(1), { name: 'Ed25519' }, false, ['verify']);
    return true;
  } catch (e) {
    return !(e && e.name === 'NotSupportedError');
  }
}

/** Verifies an Ed25519 signature (hex) over `message` by `publicKeyHex`: null when valid, else a reason. */
export async function verifyEd25519(publicKeyHex, message, signatureHex) {
  const pk = fromHex(publicKeyHex, 32);
  if (!pk) return 'malformed public key';
  const sig = fromHex(signatureHex, 64);
  if (!sig) return 'malformed signature';
  let key;
  try {
    key = await crypto.subtle.importKey('raw', pk, { name: 'Ed25519' }, false, ['verify']);
  } catch (e) {
    return e && e.name === 'NotSupportedError' ? 'this browser cannot verify Ed25519' : 'malformed public key';
  }
  const ok = await crypto.subtle.verify({ name: 'Ed25519' }, key, sig, message);
  return ok ? null : 'signature does not verify';
}

/** key_id of a public key: the first 16 hex characters of SHA-256 of its 32 bytes. */
export async function keyId(publicKeyHex) {
  const pk = fromHex(publicKeyHex, 32);
  return pk ? toHex(await sha256(pk)).slice(0, 16) : '';
}

/** A key's fingerprint for people: the SHA-256 of its 32 bytes in groups of four hex digits. */
export async function fingerprint(publicKeyHex) {
  const pk = fromHex(publicKeyHex, 32);
  if (!pk) return '';
  return toHex(await sha256(pk)).match(/.{4}/g).join(' ');
}

function sthMessage(h) {
  return concat(enc.encode(STH_CONTEXT), u64be(h.tree_size), u64be(h.timestamp_ms), fromHex(h.root_hash, 32));
}

function lotHeadMessage(lh) {
  const key = enc.encode(lh.key);
  const head = lh.head ? concat(new Uint8Array([1]), fromHex(lh.head, 32)) : new Uint8Array([0]);
  return concat(enc.encode(LOT_HEAD_CONTEXT), u64be(lh.tree_size), fromHex(lh.root_hash, 32),
    u64be(lh.recorded), u64be(lh.legacy), head, u32be(key.length), key);
}

// --- identifiers (crates/ledger/src/ident.rs, the EPC URN forms) ---

function checkDigit(digits) {
  let sum = 0;
  for (let i = 0; i < digits.length; i += 1) {
    const d = digits.charCodeAt(digits.length - 1 - i) - 48;
    sum += i % 2 === 0 ? d * 3 : d;
  }
  return (10 - (sum % 10)) % 10;
}

function gtinOf(cp, ir) {
  const body = `${ir.slice(0, 1)}${cp}${ir.slice(1)}`;
  return /^\d{13}$/.test(body) ? `${body}${checkDigit(body)}` : null;
}

function pctDecode(s) {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

/**
 * The ledger's lookup key of an identifier (`lgtin:GTIN14:LOT`, `sgtin:…`, `sscc:…`), or the
 * identifier itself for forms this page does not normalise (the ledger keeps those verbatim too).
 */
export function identifierKey(raw) {
  const s = String(raw || '').trim();
  let m = s.match(/^urn:epc:class:lgtin:(\d+)\.(\d+)\.(.+)$/);
  if (m) {
    const g = gtinOf(m[1], m[2]);
    return g ? `lgtin:${g}:${pctDecode(m[3])}` : s;
  }
  m = s.match(/^urn:epc:id:sgtin:(\d+)\.(\d+)\.(.+)$/);
  if (m) {
    const g = gtinOf(m[1], m[2]);
    return g ? `sgtin:${g}:${pctDecode(m[3])}` : s;
  }
  m = s.match(/^urn:epc:id:sscc:(\d+)\.(\d+)$/);
  if (m && m[1].length + m[2].length === 17) {
    const body = `${m[2].slice(0, 1)}${m[1]}${m[2].slice(1)}`;
    return `sscc:${body}${checkDigit(body)}`;
  }
  return s;
}

/** Every object identifier an EPCIS event (parsed JSON) names, in any role. */
export function eventIdentifiers(ev) {
  const out = [];
  const classes = (list) => (Array.isArray(list) ? list.map((q) => q && q.epcClass).filter(Boolean) : []);
  const ids = (list) => (Array.isArray(list) ? list.filter((x) => typeof x === 'string') : []);
  out.push(...ids(ev.epcList), ...classes(ev.quantityList));
  if (typeof ev.parentID === 'string') out.push(ev.parentID);
  out.push(...ids(ev.childEPCs), ...classes(ev.childQuantityList));
  out.push(...ids(ev.inputEPCList), ...classes(ev.inputQuantityList));
  out.push(...ids(ev.outputEPCList), ...classes(ev.outputQuantityList));
  return out;
}

function fail(failures, entry, code, reason) {
  failures.push({ entry, code, reason });
}

/**
 * Verifies `bundle` (the parsed JSON). `trustedKeyHex`: the public key the reader trusts (pasted,
 * or the one the server publishes); null to check against the key the bundle names only.
 * `expectedSubject`: the lot the reader asked for (null: any).
 *
 * Returns { ok, subject, treeSize, rootHash, keyId, publicKey, keyPinned, keyTrusted,
 * entries: [{ index, leafIndex, leafHash, event, ok, failures }], failures: [{ entry, code, reason }] }.
 */
export async function verifyBundle(bundle, { trustedKeyHex = null, expectedSubject = null } = {}) {
  const failures = [];
  const b = bundle && typeof bundle === 'object' ? bundle : {};
  const sth = b.tree_head && typeof b.tree_head === 'object' ? b.tree_head : {};
  if (b.format !== BUNDLE_FORMAT) fail(failures, null, 'bundle.format', `format ${JSON.stringify(b.format)} is not ${BUNDLE_FORMAT}`);
  if (expectedSubject && b.subject !== expectedSubject) {
    fail(failures, null, 'bundle.subject', `the bundle is about ${b.subject}, not ${expectedSubject}`);
  }
  const rootOk = fromHex(sth.root_hash, 32) !== null && Number.isSafeInteger(sth.tree_size) && Number.isSafeInteger(sth.timestamp_ms);
  let sigReason = rootOk ? null : 'malformed tree head';
  const kid = await keyId(sth.public_key);
  if (!sigReason && kid !== sth.key_id) sigReason = 'the key id does not name the public key';
  if (!sigReason) sigReason = await verifyEd25519(sth.public_key, sthMessage(sth), sth.signature);
  if (sigReason) fail(failures, null, 'tree_head.signature', sigReason);
  let keyTrusted = null;
  if (trustedKeyHex) {
    keyTrusted = String(trustedKeyHex).trim().toLowerCase() === String(sth.public_key || '').toLowerCase();
    if (!keyTrusted) {
      fail(failures, null, 'tree_head.untrusted_key',
        `signed by key ${sth.key_id}, not by the trusted key ${await keyId(trustedKeyHex)}`);
    }
  }
  const entries = Array.isArray(b.entries) ? b.entries : [];
  if (!entries.length) fail(failures, null, 'bundle.empty', 'the bundle holds no event');
  const subjectKeys = new Set((b.lot_heads || []).map((h) => h.key));
  // Digital Link subjects are not normalised here: their keys are the signed lot heads' own.
  const wanted = /^https?:/.test(String(b.subject || '')) ? null : identifierKey(b.subject);
  if (wanted !== null && !subjectKeys.has(wanted)) {
    fail(failures, null, 'lot_head.missing', `the bundle carries no signed head for lot ${wanted}`);
  }
  const allowed = new Set([...subjectKeys, ...(b.links || []).map((l) => l.key)]);
  const chains = new Map();
  const legacy = new Map();
  const seen = new Set();
  const order = [];
  const out = [];
  for (let i = 0; i < entries.length; i += 1) {
    const e = entries[i] || {};
    const mine = [];
    const row = { index: i, leafIndex: e.leaf_index, leafHash: '', event: null, ok: false, failures: mine };
    out.push(row);
    if (seen.has(e.leaf_index)) fail(mine, i, 'entry.duplicate', `leaf ${e.leaf_index} appears twice`);
    seen.add(e.leaf_index);
    const text = typeof e.event_json === 'string' ? e.event_json : '';
    row.leafHash = await leafHash(text);
    const bad = rootOk ? await verifyInclusion(e.leaf_index, sth.tree_size, row.leafHash, e.proof, sth.root_hash) : 'no valid tree head';
    if (bad) fail(mine, i, 'proof.invalid', `leaf ${e.leaf_index}: the event is not proven to be in the signed log (${bad})`);
    let ev = null;
    try {
      ev = JSON.parse(text);
    } catch {
      fail(mine, i, 'entry.event_invalid', 'the event is not JSON');
    }
    if (ev && typeof ev === 'object') {
      row.event = ev;
      order.push([Date.parse(ev.eventTime), e.leaf_index]);
      const record = ev[RECORD_KEY];
      const keys = eventIdentifiers(ev).map(identifierKey);
      // The ledger's record names the event's lots by key (Digital Links included).
      const recorded = record && Array.isArray(record.lots) ? record.lots.map((l) => l.key) : [];
      if (![...keys, ...recorded].some((k) => allowed.has(k))) {
        fail(mine, i, 'entry.unrelated', `event ${ev.eventID} mentions none of the bundle's identifiers`);
      }
      for (const sk of subjectKeys) {
        const link = record && Array.isArray(record.lots) ? record.lots.find((l) => l.key === sk) : null;
        if (link) {
          if (!chains.has(sk)) chains.set(sk, []);
          chains.get(sk).push({ seq: link.seq, prev: link.prev || null, leaf: row.leafHash, entry: i });
        } else if (!record && keys.includes(sk)) {
          legacy.set(sk, (legacy.get(sk) || 0) + 1);
        }
      }
    }
    row.ok = mine.length === 0;
    failures.push(...mine);
  }
  for (let k = 1; k < order.length; k += 1) {
    const [a, b2] = [order[k - 1], order[k]];
    if (a[0] > b2[0] || (a[0] === b2[0] && a[1] > b2[1])) {
      fail(failures, null, 'entry.order', 'entries are not in order of event time, then leaf index');
      break;
    }
  }
  await checkChains(b, sth, chains, legacy, failures, out);
  return {
    ok: failures.length === 0,
    subject: b.subject || '',
    treeSize: sth.tree_size,
    rootHash: sth.root_hash,
    timestampMs: sth.timestamp_ms,
    keyId: sth.key_id,
    publicKey: sth.public_key,
    keyPinned: Boolean(trustedKeyHex),
    keyTrusted,
    signatureOk: !sigReason,
    entries: out,
    failures,
  };
}

/** Each lot head's signature and tree, and that its chain runs unbroken from #1 to the signed head. */
async function checkChains(b, sth, chains, legacy, failures, rows) {
  const flag = (entry, code, reason) => {
    fail(failures, entry, code, reason);
    if (entry !== null && rows[entry]) {
      rows[entry].failures.push({ entry, code, reason });
      rows[entry].ok = false;
    }
  };
  const keys = new Set();
  for (const head of b.lot_heads || []) {
    const key = head.key;
    if (keys.has(key)) {
      flag(null, 'lot_head.missing', `the bundle carries several signed heads for lot ${key}`);
      continue;
    }
    keys.add(key);
    if (head.tree_size !== sth.tree_size || head.root_hash !== sth.root_hash) {
      flag(null, 'lot_head.tree', `the signed head of lot ${key} is for tree size ${head.tree_size}, not the bundle's ${sth.tree_size}`);
    }
    const wellFormed = fromHex(head.root_hash, 32) && (head.head === null || head.head === undefined || fromHex(head.head, 32));
    const sigBad = wellFormed ? await verifyEd25519(sth.public_key, lotHeadMessage(head), head.signature) : 'malformed lot head';
    if (sigBad) flag(null, 'lot_head.signature', `the signed head of lot ${key}: ${sigBad}`);
    const chain = (chains.get(key) || []).slice().sort((x, y) => x.seq - y.seq || x.entry - y.entry);
    let prev = null;
    let expected = 1;
    for (const c of chain) {
      if (c.seq < expected) continue;
      if (c.seq > expected) {
        flag(null, 'chain.missing', `lot ${key}: event #${expected}${c.seq > expected + 1 ? ` to #${c.seq - 1}` : ''} of its chain is missing from the bundle`);
      } else if (c.prev !== prev) {
        flag(c.entry, 'chain.broken', `lot ${key}: event #${c.seq} does not follow the bundle's event #${c.seq - 1}`);
      }
      prev = c.leaf;
      expected = c.seq + 1;
    }
    const have = expected - 1;
    if (have < head.recorded) {
      flag(null, 'chain.missing', `lot ${key}: the ledger signed ${head.recorded} recorded events, the bundle's chain ends at #${have}`);
    } else if (have > head.recorded) {
      flag(null, 'chain.head', `lot ${key}: the bundle has event #${have}, the ledger signed only ${head.recorded}`);
    } else if (prev !== (head.head || null)) {
      flag(null, 'chain.head', `lot ${key}: the bundle's last event is not the signed chain head`);
    }
    const legacyHere = legacy.get(key) || 0;
    if (legacyHere !== head.legacy) {
      flag(null, 'chain.legacy', `lot ${key}: the bundle holds ${legacyHere} legacy (unchained) events, the ledger signed ${head.legacy}`);
    }
  }
}
