// The ES5.1 interpreter of the codec tables, embedded verbatim in the TS013 file. It mirrors
// codec/layout.ts, codec/frame.ts and text/text-codec.ts rule for rule; the test suite runs both
// on the same random messages and requires identical bytes and values. Kept to ES5 (var, function,
// no typed arrays) because The Things Stack runs codecs as ECMAScript 5.1; ChirpStack's QuickJS
// accepts it too. `T` (the tables) is defined before this text by the generator.
export const RUNTIME_ES5 = String.raw`
function CodecError(code, message) { this.code = code; this.message = message; }

function fail(code, message) { throw new CodecError(code, message); }

function crc8(b, end) {
  var c = 0, i, k;
  for (i = 0; i < end; i++) {
    c ^= b[i];
    for (k = 0; k < 8; k++) c = c & 0x80 ? ((c << 1) ^ 0x07) & 0xff : (c << 1) & 0xff;
  }
  return c;
}

function Reader(data) { this.d = data; this.p = 0; }
Reader.prototype.left = function () { return this.d.length * 8 - this.p; };
Reader.prototype.read = function (n) {
  if (n > this.left()) fail('truncated', 'frame ends ' + (n - this.left()) + ' bit(s) too early');
  var v = 0, i;
  for (i = 0; i < n; i++) {
    v = v * 2 + ((this.d[this.p >> 3] >> (7 - (this.p & 7))) & 1);
    this.p++;
  }
  return v;
};
Reader.prototype.align = function () {
  var pad = (8 - (this.p & 7)) & 7;
  if (pad && this.read(pad) !== 0) fail('padding', 'non-zero padding bits');
};
Reader.prototype.bytes = function (n) {
  this.align();
  var s = this.p >> 3;
  if (s + n > this.d.length) fail('truncated', 'frame ends ' + (s + n - this.d.length) + ' byte(s) too early');
  this.p += n * 8;
  return this.d.slice(s, s + n);
};
Reader.prototype.rest = function () { this.align(); return this.bytes(this.d.length - (this.p >> 3)); };

function Writer() { this.b = []; this.n = 0; }
Writer.prototype.write = function (v, bits) {
  var i, bi;
  for (i = bits - 1; i >= 0; i--) {
    bi = this.n >> 3;
    if (bi === this.b.length) this.b.push(0);
    if (Math.floor(v / Math.pow(2, i)) % 2) this.b[bi] |= 0x80 >> (this.n & 7);
    this.n++;
  }
};
Writer.prototype.align = function () { this.n = this.b.length * 8; };
Writer.prototype.bytes = function (a) {
  var i;
  this.align();
  for (i = 0; i < a.length; i++) this.b.push(a[i]);
  this.n = this.b.length * 8;
};

function indexOf(list, v) {
  var i;
  for (i = 0; i < list.length; i++) if (list[i] === v) return i;
  return -1;
}
function pad2(n) { return n < 10 ? '0' + n : String(n); }
function isArray(v) { return Object.prototype.toString.call(v) === '[object Array]'; }

function fieldBits(f) {
  if (f.type === 'bool') return 1;
  if (f.type === 'time') return 11;
  if (f.type === 'postcode') return 24;
  return f.bits;
}

function decodeField(r, f) {
  var raw, allOnes, max, out, i, a, b;
  switch (f.type) {
    case 'uint':
      allOnes = Math.pow(2, f.bits) - 1;
      raw = r.read(f.bits);
      if (f.nullable && raw === allOnes) return null;
      max = f.max !== undefined ? f.max : f.nullable ? allOnes - 1 : allOnes;
      if (raw > max) fail('range', f.name + ': raw value ' + raw + ' exceeds ' + max);
      return f.div ? raw / f.div : raw;
    case 'enum':
      raw = r.read(f.bits);
      if (raw >= f.values.length) fail('range', f.name + ': unknown code ' + raw);
      return f.values[raw];
    case 'flags':
      raw = r.read(f.bits);
      out = [];
      for (i = 0; i < f.bits; i++) {
        if (!(Math.floor(raw / Math.pow(2, i)) % 2)) continue;
        if (i >= f.values.length) fail('range', f.name + ': reserved flag bit ' + i + ' set');
        out.push(f.values[i]);
      }
      return out;
    case 'bool':
      return r.read(1) === 1;
    case 'time':
      raw = r.read(11);
      if (raw === 2047) return null;
      if (raw >= 1440) fail('range', f.name + ': minute of day ' + raw + ' exceeds 1439');
      return pad2(Math.floor(raw / 60)) + ':' + pad2(raw % 60);
    case 'postcode':
      raw = r.read(14);
      a = r.read(5);
      b = r.read(5);
      if (raw === 0x3fff && a === 31 && b === 31) return null;
      if (raw < 1000 || raw > 9999 || a > 25 || b > 25) fail('range', f.name + ': not a Dutch postcode');
      return raw + ' ' + String.fromCharCode(65 + a, 65 + b);
  }
  fail('range', 'unknown field type ' + f.type);
}

function encodeField(w, f, v) {
  var allOnes, max, raw, i, m, minutes, letters;
  switch (f.type) {
    case 'uint':
      allOnes = Math.pow(2, f.bits) - 1;
      max = f.max !== undefined ? f.max : f.nullable ? allOnes - 1 : allOnes;
      if (v === null || v === undefined) {
        if (!f.nullable) fail('encode', f.name + ': is required');
        return w.write(allOnes, f.bits);
      }
      if (typeof v !== 'number' || !isFinite(v)) fail('encode', f.name + ': must be a number');
      raw = Math.round(v * (f.div || 1));
      if (raw < 0 || raw > max) {
        if (!f.clamp) fail('encode', f.name + ': ' + v + ' is out of range');
        raw = Math.min(Math.max(raw, 0), max);
      }
      return w.write(raw, f.bits);
    case 'enum':
      i = typeof v === 'string' ? indexOf(f.values, v) : -1;
      if (i < 0) fail('encode', f.name + ': must be one of ' + f.values.join(', '));
      return w.write(i, f.bits);
    case 'flags':
      if (!isArray(v)) fail('encode', f.name + ': must be a list of flag names');
      raw = 0;
      for (m = 0; m < v.length; m++) {
        i = typeof v[m] === 'string' ? indexOf(f.values, v[m]) : -1;
        if (i < 0) fail('encode', f.name + ': unknown flag ' + v[m]);
        raw |= 1 << i;
      }
      return w.write(raw, f.bits);
    case 'bool':
      if (typeof v !== 'boolean') fail('encode', f.name + ': must be true or false');
      return w.write(v ? 1 : 0, 1);
    case 'time':
      if (v === null || v === undefined) return w.write(2047, 11);
      m = typeof v === 'string' ? /^(\d{1,2}):(\d{2})$/.exec(v) : null;
      minutes = m ? Number(m[1]) * 60 + Number(m[2]) : NaN;
      if (!m || Number(m[2]) > 59 || !(minutes < 1440)) fail('encode', f.name + ': must be a time HH:MM');
      return w.write(minutes, 11);
    case 'postcode':
      if (v === null || v === undefined) return w.write(0xffffff, 24);
      m = typeof v === 'string' ? /^([1-9]\d{3}) ?([A-Za-z]{2})$/.exec(v) : null;
      if (!m) fail('encode', f.name + ': must be a Dutch postcode like 1234 AB');
      letters = m[2].toUpperCase();
      w.write(Number(m[1]), 14);
      w.write(letters.charCodeAt(0) - 65, 5);
      return w.write(letters.charCodeAt(1) - 65, 5);
  }
  fail('encode', 'unknown field type ' + f.type);
}

function minBits(layout) {
  var bits = 0, i, k, m, best;
  for (i = 0; i < layout.fields.length; i++) bits += fieldBits(layout.fields[i]);
  if (layout.variant) {
    best = Infinity;
    for (k in layout.variant.layouts) {
      if (Object.prototype.hasOwnProperty.call(layout.variant.layouts, k)) {
        m = minBits(layout.variant.layouts[k]);
        if (m < best) best = m;
      }
    }
    bits += best;
  }
  return bits;
}

function decodeLayout(r, layout) {
  var out = {}, i, f, sub, tail, item, items, entryBits, entryBytes, j, len;
  for (i = 0; i < layout.fields.length; i++) {
    f = layout.fields[i];
    out[f.name] = decodeField(r, f);
  }
  if (layout.variant) {
    sub = Object.prototype.hasOwnProperty.call(layout.variant.layouts, out[layout.variant.by]) ? layout.variant.layouts[out[layout.variant.by]] : null;
    if (!sub) fail('range', layout.variant.by + ': no layout for ' + out[layout.variant.by]);
    out[layout.variant.key] = decodeLayout(r, sub);
  }
  tail = layout.tail;
  if (!tail) return out;
  r.align();
  if (tail.type === 'texts') {
    for (i = 0; i < tail.names.length; i++) {
      if (i < tail.names.length - 1) {
        len = r.read(8);
        out[tail.names[i]] = decompressText(r.bytes(len));
      } else {
        out[tail.names[i]] = decompressText(r.rest());
      }
    }
    return out;
  }
  entryBits = 0;
  for (i = 0; i < tail.fields.length; i++) entryBits += fieldBits(tail.fields[i]);
  entryBytes = Math.ceil(entryBits / 8);
  items = [];
  while (r.left() > 0) {
    if (r.left() < entryBytes * 8) fail('truncated', tail.name + ': partial entry');
    item = {};
    for (j = 0; j < tail.fields.length; j++) item[tail.fields[j].name] = decodeField(r, tail.fields[j]);
    r.align();
    items.push(tail.scalar ? item[tail.fields[0].name] : item);
  }
  if (items.length < tail.min || items.length > tail.max) {
    fail('range', tail.name + ': ' + items.length + ' entries, expected ' + tail.min + '-' + tail.max);
  }
  out[tail.name] = items;
  return out;
}

function encodeLayout(w, layout, values) {
  var i, sub, nested, tail, v, packed, items, j;
  for (i = 0; i < layout.fields.length; i++) encodeField(w, layout.fields[i], values[layout.fields[i].name]);
  if (layout.variant) {
    sub = Object.prototype.hasOwnProperty.call(layout.variant.layouts, values[layout.variant.by]) ? layout.variant.layouts[values[layout.variant.by]] : null;
    nested = values[layout.variant.key];
    if (nested === undefined || nested === null) nested = {};
    if (!sub || typeof nested !== 'object') fail('encode', layout.variant.key + ': no layout for ' + layout.variant.by + ' ' + values[layout.variant.by]);
    encodeLayout(w, sub, nested);
  }
  tail = layout.tail;
  if (!tail) return;
  w.align();
  if (tail.type === 'texts') {
    for (i = 0; i < tail.names.length; i++) {
      v = values[tail.names[i]];
      if (v === undefined || v === null) v = '';
      if (typeof v !== 'string') fail('encode', tail.names[i] + ': must be a string');
      packed = compressText(v);
      if (i < tail.names.length - 1) {
        if (packed.length > 255) fail('encode', tail.names[i] + ': text too long');
        w.write(packed.length, 8);
      }
      w.bytes(packed);
    }
    return;
  }
  items = values[tail.name];
  if (!isArray(items) || items.length < tail.min || items.length > tail.max) {
    fail('encode', tail.name + ': must be a list of ' + tail.min + '-' + tail.max + ' entries');
  }
  for (i = 0; i < items.length; i++) {
    if (tail.scalar) {
      for (j = 0; j < tail.fields.length; j++) encodeField(w, tail.fields[j], items[i]);
    } else {
      if (typeof items[i] !== 'object' || items[i] === null) fail('encode', tail.name + ': entries must be objects');
      for (j = 0; j < tail.fields.length; j++) encodeField(w, tail.fields[j], items[i][tail.fields[j].name]);
    }
    w.align();
  }
}

/* ---- text: canonical Huffman over dictionary entries and characters, 4 contexts ---- */

var RAW = 0, CAP = 1, ESC = 2;
var TEXT = (function () {
  var tables = [], c, i, l, lengths, maxLength, counts, sorted, codes, code, prev, buckets = {}, key;
  for (c = 0; c < T.text.lengths.length; c++) {
    lengths = [];
    maxLength = 0;
    for (i = 0; i < T.text.lengths[c].length; i++) {
      l = T.text.lengths[c].charCodeAt(i) - 48;
      lengths.push(l);
      if (l > maxLength) maxLength = l;
    }
    counts = [];
    for (l = 0; l <= maxLength; l++) counts.push(0);
    sorted = [];
    for (l = 1; l <= maxLength; l++) {
      for (i = 0; i < lengths.length; i++) {
        if (lengths[i] === l) {
          sorted.push(i);
          counts[l]++;
        }
      }
    }
    codes = [];
    code = 0;
    prev = 0;
    for (i = 0; i < sorted.length; i++) {
      l = lengths[sorted[i]];
      code = code * Math.pow(2, l - prev);
      prev = l;
      codes[sorted[i]] = code++;
    }
    tables.push({ lengths: lengths, counts: counts, sorted: sorted, codes: codes, maxLength: maxLength });
  }
  for (i = 3; i < T.text.symbols.length; i++) {
    key = capitalise(T.text.symbols[i].charAt(0));
    if (!Object.prototype.hasOwnProperty.call(buckets, key)) buckets[key] = [];
    buckets[key].push(i);
  }
  return { tables: tables, buckets: buckets, firstWord: T.text.firstWord };
})();

function isLetter(ch) {
  var code = ch.charCodeAt(0);
  return (code >= 97 && code <= 122) || (code >= 65 && code <= 90) || (code >= 0xc0 && code <= 0xff && code !== 0xd7 && code !== 0xf7);
}
function contextAfter(sym) {
  var ch, code;
  if (sym >= T.text.firstWord) return 2;
  ch = T.text.symbols[sym];
  if (isLetter(ch)) return 1;
  code = ch.charCodeAt(0);
  return code >= 48 && code <= 57 ? 3 : 0;
}
function capitalise(s) {
  var code = s.charCodeAt(0);
  if ((code >= 97 && code <= 122) || (code >= 0xe0 && code <= 0xfe && code !== 0xf7)) return String.fromCharCode(code - 32) + s.slice(1);
  return s;
}
function capitalDefault(out) {
  var i = out.length - 1, ch;
  if (i < 0) return true;
  if (out.charAt(i) === '\n') return true;
  if (out.charAt(i) !== ' ') return false;
  while (i >= 0 && out.charAt(i) === ' ') i--;
  ch = out.charAt(i);
  return ch === '.' || ch === '!' || ch === '?';
}
function escClass(cp) {
  var k;
  for (k = 0; k < T.text.escClassBits.length; k++) if (cp < Math.pow(2, T.text.escClassBits[k])) return k;
  return -1;
}
function codePointAt(s, i) {
  var hi = s.charCodeAt(i), lo;
  if (hi >= 0xd800 && hi <= 0xdbff && i + 1 < s.length) {
    lo = s.charCodeAt(i + 1);
    if (lo >= 0xdc00 && lo <= 0xdfff) return (hi - 0xd800) * 0x400 + (lo - 0xdc00) + 0x10000;
  }
  return hi;
}
function fromCodePoint(cp) {
  if (cp <= 0xffff) return String.fromCharCode(cp);
  cp -= 0x10000;
  return String.fromCharCode(0xd800 + (cp >> 10), 0xdc00 + (cp & 0x3ff));
}
function utf8Encode(s) {
  var out = [], i, cp;
  for (i = 0; i < s.length; i++) {
    cp = codePointAt(s, i);
    if (cp > 0xffff) i++;
    if (cp < 0x80) out.push(cp);
    else if (cp < 0x800) out.push(0xc0 | (cp >> 6), 0x80 | (cp & 63));
    else if (cp < 0x10000) out.push(0xe0 | (cp >> 12), 0x80 | ((cp >> 6) & 63), 0x80 | (cp & 63));
    else out.push(0xf0 | (cp >> 18), 0x80 | ((cp >> 12) & 63), 0x80 | ((cp >> 6) & 63), 0x80 | (cp & 63));
  }
  return out;
}
function utf8Decode(b) {
  var out = '', i = 0, c, n, cp, k, min;
  while (i < b.length) {
    c = b[i++];
    if (c < 0x80) { out += String.fromCharCode(c); continue; }
    if (c >= 0xc2 && c <= 0xdf) { n = 1; cp = c & 31; min = 0x80; }
    else if (c >= 0xe0 && c <= 0xef) { n = 2; cp = c & 15; min = 0x800; }
    else if (c >= 0xf0 && c <= 0xf4) { n = 3; cp = c & 7; min = 0x10000; }
    else fail('text', 'invalid UTF-8 in raw text');
    if (i + n > b.length) fail('text', 'invalid UTF-8 in raw text');
    for (k = 0; k < n; k++) {
      c = b[i++];
      if ((c & 0xc0) !== 0x80) fail('text', 'invalid UTF-8 in raw text');
      cp = cp * 64 + (c & 63);
    }
    if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) fail('text', 'invalid UTF-8 in raw text');
    out += fromCodePoint(cp);
  }
  return out;
}

function decompressText(data) {
  var total = data.length * 8, pos = 0, out = '', ctx = 0, capPending = false, first = true, sym, cls, cp, s;
  function bit() { var b = (data[pos >> 3] >> (7 - (pos & 7))) & 1; pos++; return b; }
  function onlyPadding() {
    var p;
    if (total - pos > 7) return false;
    for (p = pos; p < total; p++) if (((data[p >> 3] >> (7 - (p & 7))) & 1) === 0) return false;
    return true;
  }
  function readSymbol(c) {
    var t = TEXT.tables[c], code = 0, firstCode = 0, index = 0, l, count;
    for (l = 1; l <= t.maxLength; l++) {
      if (pos >= total) fail('text', 'text ends inside a symbol');
      code = code * 2 + bit();
      count = t.counts[l];
      if (code - firstCode < count) return t.sorted[index + code - firstCode];
      index += count;
      firstCode = (firstCode + count) * 2;
    }
    fail('text', 'invalid code');
  }
  function readBits(n) {
    var v = 0, i;
    if (pos + n > total) fail('text', 'text ends inside an escaped character');
    for (i = 0; i < n; i++) v = v * 2 + bit();
    return v;
  }
  while (!onlyPadding()) {
    sym = readSymbol(ctx);
    if (sym === RAW) {
      if (!first) fail('text', 'RAW symbol after the start');
      while (pos & 7) if (bit() !== 1) fail('text', 'bad padding after RAW');
      return utf8Decode(data.slice(pos >> 3));
    }
    first = false;
    if (sym === CAP) {
      if (capPending) fail('text', 'two CAP symbols in a row');
      capPending = true;
      continue;
    }
    if (sym === ESC) {
      if (capPending) fail('text', 'CAP before an escaped character');
      cls = readBits(2);
      cp = readBits(T.text.escClassBits[cls]);
      if (cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) fail('text', 'invalid code point ' + cp);
      out += fromCodePoint(cp);
      ctx = 0;
      continue;
    }
    s = T.text.symbols[sym];
    if (capitalDefault(out) !== capPending) s = capitalise(s);
    out += s;
    capPending = false;
    ctx = contextAfter(sym);
  }
  if (capPending) fail('text', 'text ends after a CAP symbol');
  return out;
}

function compressText(text) {
  var C = 4, n = text.length, cost = [], back = [], pos, ctx, from, dflt, cands, k, sym, s, capped, next, plain, toggled, cp, width, cls, best, at, steps = [], bits = [], i, t, utf8, rawBytes, head, st, key;
  if (/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(^|[^\uD800-\uDBFF])[\uDC00-\uDFFF]/.test(text)) fail('encode', 'text contains a lone surrogate');
  function len(c, sy) { return TEXT.tables[c].lengths[sy]; }
  function relax(f, to, b, st2) {
    var c2 = cost[f] + b;
    if (c2 < cost[to]) { cost[to] = c2; back[to] = { from: f, steps: st2 }; }
  }
  for (i = 0; i < (n + 1) * C; i++) cost.push(Infinity);
  cost[0] = 0;
  for (pos = 0; pos < n; pos++) {
    dflt = capitalDefault(text.slice(0, pos));
    key = capitalise(text.charAt(pos));
    cands = Object.prototype.hasOwnProperty.call(TEXT.buckets, key) ? TEXT.buckets[key] : [];
    for (ctx = 0; ctx < C; ctx++) {
      from = pos * C + ctx;
      if (cost[from] === Infinity) continue;
      for (k = 0; k < cands.length; k++) {
        sym = cands[k];
        s = T.text.symbols[sym];
        capped = capitalise(s);
        next = contextAfter(sym);
        plain = dflt ? capped : s;
        if (text.substr(pos, plain.length) === plain) relax(from, (pos + plain.length) * C + next, len(ctx, sym), [{ sym: sym, ctx: ctx }]);
        toggled = dflt ? s : capped;
        if (capped !== s && text.substr(pos, toggled.length) === toggled) {
          relax(from, (pos + toggled.length) * C + next, len(ctx, CAP) + len(ctx, sym), [{ sym: CAP, ctx: ctx }, { sym: sym, ctx: ctx }]);
        }
      }
      cp = codePointAt(text, pos);
      width = cp > 0xffff ? 2 : 1;
      cls = escClass(cp);
      relax(from, (pos + width) * C, len(ctx, ESC) + 2 + T.text.escClassBits[cls], [{ sym: ESC, ctx: ctx, cp: cp }]);
    }
  }
  best = n * C;
  for (ctx = 1; ctx < C; ctx++) if (cost[n * C + ctx] < cost[best]) best = n * C + ctx;
  for (at = best; at !== 0; ) {
    if (!back[at]) break;
    steps = back[at].steps.concat(steps);
    at = back[at].from;
  }
  function put(v, nb) { var j; for (j = nb - 1; j >= 0; j--) bits.push(Math.floor(v / Math.pow(2, j)) % 2); }
  for (i = 0; i < steps.length; i++) {
    st = steps[i];
    t = TEXT.tables[st.ctx];
    put(t.codes[st.sym], t.lengths[st.sym]);
    if (st.sym === ESC) {
      cls = escClass(st.cp);
      put(cls, 2);
      put(st.cp, T.text.escClassBits[cls]);
    }
  }
  while (bits.length % 8) bits.push(1);
  utf8 = utf8Encode(text);
  t = TEXT.tables[0];
  rawBytes = Math.ceil(t.lengths[RAW] / 8);
  if (rawBytes + utf8.length < bits.length / 8) {
    bits = [];
    put(t.codes[RAW], t.lengths[RAW]);
    while (bits.length % 8) bits.push(1);
    head = packBits(bits);
    return head.concat(utf8);
  }
  return packBits(bits);
}

function packBits(bits) {
  var out = [], i;
  for (i = 0; i < bits.length; i += 8) out.push(0);
  for (i = 0; i < bits.length; i++) if (bits[i]) out[i >> 3] |= 0x80 >> (i & 7);
  return out;
}

/* ---- frames ---- */

function kindOfPort(port) {
  var k;
  for (k in T.kinds) if (Object.prototype.hasOwnProperty.call(T.kinds, k) && T.kinds[k].port === port) return k;
  return null;
}
function toHex(b) {
  var s = '', i;
  for (i = 0; i < b.length; i++) s += (b[i] < 16 ? '0' : '') + b[i].toString(16);
  return s;
}

function readHeader(port, bytes, minBodyBits) {
  var minBytes, body, r, version;
  if (typeof port !== 'number' || port % 1 !== 0 || port < 1 || port > 223) fail('port', 'fPort ' + port + ' is not an application port');
  if (bytes.length > T.maxFrameBytes) fail('oversize', 'frame is ' + bytes.length + ' bytes, over ' + T.maxFrameBytes);
  minBytes = Math.ceil(minBodyBits / 8) + 1;
  if (bytes.length < minBytes) fail('truncated', 'frame is ' + bytes.length + ' bytes, fPort ' + port + ' needs at least ' + minBytes);
  body = bytes.slice(0, bytes.length - 1);
  if (crc8(body, body.length) !== bytes[bytes.length - 1]) fail('checksum', 'CRC-8 mismatch: frame corrupted or not ours');
  r = new Reader(body);
  version = r.read(2);
  if (version !== T.version) fail('version', 'codec version ' + version + ' not supported (this is v' + T.version + ')');
  return r;
}

function decodeFrame(port, bytes) {
  var r, id, inner, index, total, kind, spec, values, out, k;
  if (port === T.fragmentPort) {
    r = readHeader(port, bytes, 32);
    id = r.read(6);
    inner = r.read(8);
    index = r.read(4);
    total = r.read(4) + 1;
    if (inner === T.fragmentPort || !kindOfPort(inner)) fail('fragment', 'fragment of unknown fPort ' + inner);
    if (total < 2 || index >= total) fail('fragment', 'fragment ' + (index + 1) + ' of ' + total + ' is impossible');
    return { kind: 'fragment', id: id, port: inner, index: index, total: total, chunk: toHex(r.rest()) };
  }
  kind = kindOfPort(port);
  if (!kind) fail('port', 'fPort ' + port + ' is not used by codec v' + T.version);
  spec = T.kinds[kind];
  r = readHeader(port, bytes, 2 + (spec.hasId ? 6 : 0) + minBits(spec.layout));
  id = spec.hasId ? r.read(6) : 0;
  values = decodeLayout(r, spec.layout);
  r.align();
  if (r.left() !== 0) fail('oversize', r.left() / 8 + ' unexpected trailing byte(s)');
  out = { kind: kind };
  if (spec.hasId) out.id = id;
  for (k in values) if (Object.prototype.hasOwnProperty.call(values, k)) out[k] = values[k];
  return out;
}

function encodeMessage(msg) {
  var spec, w, body;
  if (!msg || typeof msg !== 'object' || !Object.prototype.hasOwnProperty.call(T.kinds, msg.kind)) fail('encode', 'unknown message kind ' + (msg && msg.kind));
  spec = T.kinds[msg.kind];
  w = new Writer();
  w.write(T.version, 2);
  if (spec.hasId) {
    if (typeof msg.id !== 'number' || msg.id % 1 !== 0 || msg.id < 0 || msg.id > 63) fail('encode', 'id must be an integer 0-63');
    w.write(msg.id, 6);
  }
  encodeLayout(w, spec.layout, msg);
  body = w.b;
  body.push(crc8(body, body.length));
  if (body.length > T.maxFrameBytes) fail('encode', msg.kind + ' is ' + body.length + ' bytes, over ' + T.maxFrameBytes);
  return { port: spec.port, bytes: body };
}

function checkBytes(bytes) {
  var i;
  if (!isArray(bytes)) fail('encode', 'bytes must be an array');
  for (i = 0; i < bytes.length; i++) {
    if (typeof bytes[i] !== 'number' || bytes[i] % 1 !== 0 || bytes[i] < 0 || bytes[i] > 255) fail('encode', 'bytes must be integers 0-255');
  }
  return bytes;
}

function errorText(e) {
  if (e instanceof CodecError) return e.code + ': ' + e.message;
  return 'internal: ' + String(e);
}

function decodeDirection(input, dir) {
  var msg, kind;
  try {
    msg = decodeFrame(input.fPort, checkBytes(input.bytes));
    kind = msg.kind === 'fragment' ? kindOfPort(msg.port) : msg.kind;
    if (T.kinds[kind].dir !== dir) fail('port', 'fPort ' + input.fPort + ' carries ' + kind + ', not an ' + dir + 'link');
    if (msg.kind === 'fragment') {
      return { data: msg, warnings: ['fragment ' + (msg.index + 1) + '/' + msg.total + ' of ' + kind + ' ' + msg.id + ': reassemble in the application'] };
    }
    return { data: msg };
  } catch (e) {
    return { errors: [errorText(e)] };
  }
}
`;
