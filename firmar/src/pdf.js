// Reading a prepared acta and writing one incremental update: what the page needs of a PDF, nothing more.
//
// The reader follows the cross-reference chain from the last `startxref` (classic tables and cross-reference
// streams, objects inside object streams, Flate with the PNG predictors), and parses objects into plain values:
// numbers, booleans, null, Name, Str (bytes), Ref, arrays and Map dictionaries; a stream is a Map with a
// `Stream` holding its raw bytes. The writer appends objects and a cross-reference stream after the last byte,
// leaving every earlier byte as it was (ISO 32000-1, 7.5.6): earlier signatures keep covering what they covered.

export class Name {
  constructor(name) {
    this.name = name;
  }
}

export class Str {
  constructor(bytes) {
    this.bytes = bytes;
  }
  // PDFDocEncoding for the Latin-1 range the acta uses; UTF-16BE with its byte order mark otherwise.
  text() {
    const b = this.bytes;
    if (b.length >= 2 && b[0] === 0xfe && b[1] === 0xff) {
      let s = "";
      for (let i = 2; i + 1 < b.length; i += 2) s += String.fromCharCode((b[i] << 8) | b[i + 1]);
      return s;
    }
    let s = "";
    for (const c of b) s += String.fromCharCode(c);
    return s;
  }
}

export class Ref {
  constructor(num, gen) {
    this.num = num;
    this.gen = gen;
  }
}

export class Stream {
  constructor(dict, raw) {
    this.dict = dict;
    this.raw = raw;
  }
}

export class PdfError extends Error {}

const WHITE = new Set([0x00, 0x09, 0x0a, 0x0c, 0x0d, 0x20]);
const DELIM = new Set([0x28, 0x29, 0x3c, 0x3e, 0x5b, 0x5d, 0x7b, 0x7d, 0x2f, 0x25]);

function latin1(bytes, start, end) {
  let s = "";
  for (let i = start; i < end; i++) s += String.fromCharCode(bytes[i]);
  return s;
}

class Lexer {
  constructor(bytes, pos = 0) {
    this.b = bytes;
    this.pos = pos;
  }

  skip() {
    const b = this.b;
    while (this.pos < b.length) {
      if (WHITE.has(b[this.pos])) this.pos++;
      else if (b[this.pos] === 0x25) {
        while (this.pos < b.length && b[this.pos] !== 0x0a && b[this.pos] !== 0x0d) this.pos++;
      } else break;
    }
  }

  word() {
    this.skip();
    const start = this.pos;
    while (this.pos < this.b.length && !WHITE.has(this.b[this.pos]) && !DELIM.has(this.b[this.pos])) this.pos++;
    return latin1(this.b, start, this.pos);
  }

  // One value; `N G R` references are recognised by looking ahead.
  value() {
    this.skip();
    const b = this.b;
    const c = b[this.pos];
    if (c === 0x2f) {
      this.pos++;
      const start = this.pos;
      while (this.pos < b.length && !WHITE.has(b[this.pos]) && !DELIM.has(b[this.pos])) this.pos++;
      return new Name(latin1(b, start, this.pos).replace(/#([0-9a-fA-F]{2})/g, (_, h) => String.fromCharCode(parseInt(h, 16))));
    }
    if (c === 0x3c && b[this.pos + 1] === 0x3c) {
      this.pos += 2;
      const dict = new Map();
      for (;;) {
        this.skip();
        if (b[this.pos] === 0x3e && b[this.pos + 1] === 0x3e) {
          this.pos += 2;
          break;
        }
        const key = this.value();
        if (!(key instanceof Name)) throw new PdfError("diccionario mal formado");
        dict.set(key.name, this.value());
      }
      return dict;
    }
    if (c === 0x3c) {
      this.pos++;
      let hex = "";
      while (b[this.pos] !== 0x3e) {
        if (this.pos >= b.length) throw new PdfError("cadena hexadecimal sin cerrar");
        if (!WHITE.has(b[this.pos])) hex += String.fromCharCode(b[this.pos]);
        this.pos++;
      }
      this.pos++;
      if (hex.length % 2) hex += "0";
      const out = new Uint8Array(hex.length / 2);
      for (let i = 0; i < out.length; i++) out[i] = parseInt(hex.substr(2 * i, 2), 16);
      return new Str(out);
    }
    if (c === 0x28) return this.literal();
    if (c === 0x5b) {
      this.pos++;
      const arr = [];
      for (;;) {
        this.skip();
        if (b[this.pos] === 0x5d) {
          this.pos++;
          return arr;
        }
        arr.push(this.value());
      }
    }
    const w = this.word();
    if (w === "true") return true;
    if (w === "false") return false;
    if (w === "null") return null;
    if (!/^[+-]?(\d+\.?\d*|\.\d+)$/.test(w)) throw new PdfError(`símbolo inesperado «${w}»`);
    const n = Number(w);
    if (/^\d+$/.test(w)) {
      const save = this.pos;
      const g = this.word();
      const r = /^\d+$/.test(g) ? this.word() : "";
      if (r === "R") return new Ref(n, Number(g));
      this.pos = save;
    }
    return n;
  }

  literal() {
    const b = this.b;
    this.pos++;
    const out = [];
    let depth = 1;
    for (;;) {
      if (this.pos >= b.length) throw new PdfError("cadena sin cerrar");
      const c = b[this.pos++];
      if (c === 0x5c) {
        const e = b[this.pos++];
        const simple = { 0x6e: 0x0a, 0x72: 0x0d, 0x74: 0x09, 0x62: 0x08, 0x66: 0x0c, 0x28: 0x28, 0x29: 0x29, 0x5c: 0x5c };
        if (e in simple) out.push(simple[e]);
        else if (e >= 0x30 && e <= 0x37) {
          let v = e - 0x30;
          for (let k = 0; k < 2 && b[this.pos] >= 0x30 && b[this.pos] <= 0x37; k++) v = v * 8 + (b[this.pos++] - 0x30);
          out.push(v & 0xff);
        } else if (e === 0x0d) {
          if (b[this.pos] === 0x0a) this.pos++;
        } else if (e !== 0x0a) out.push(e);
      } else if (c === 0x28) {
        depth++;
        out.push(c);
      } else if (c === 0x29) {
        if (--depth === 0) break;
        out.push(c);
      } else out.push(c);
    }
    return new Str(Uint8Array.from(out));
  }
}

async function inflate(bytes) {
  const stream = new Blob([bytes]).stream().pipeThrough(new DecompressionStream("deflate"));
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

function unpredict(data, parms) {
  const predictor = parms?.get("Predictor") ?? 1;
  if (predictor < 10) return data;
  const columns = parms.get("Columns") ?? 1;
  const row = columns + 1;
  const out = new Uint8Array((data.length / row) * columns);
  const prev = new Uint8Array(columns);
  for (let r = 0; r * row < data.length; r++) {
    const type = data[r * row];
    for (let i = 0; i < columns; i++) {
      const x = data[r * row + 1 + i];
      const a = i > 0 ? out[r * columns + i - 1] : 0;
      const up = prev[i];
      const ul = i > 0 ? prev[i - 1] : 0;
      let v;
      if (type === 0) v = x;
      else if (type === 1) v = x + a;
      else if (type === 2) v = x + up;
      else if (type === 3) v = x + ((a + up) >> 1);
      else {
        const p = a + up - ul;
        const pa = Math.abs(p - a);
        const pb = Math.abs(p - up);
        const pc = Math.abs(p - ul);
        v = x + (pa <= pb && pa <= pc ? a : pb <= pc ? up : ul);
      }
      out[r * columns + i] = v & 0xff;
    }
    prev.set(out.subarray(r * columns, (r + 1) * columns));
  }
  return out;
}

export class PdfReader {
  constructor(bytes) {
    this.bytes = bytes;
    this.xref = new Map(); // num → {type: 1, offset} | {type: 2, stream, index}
    this.cache = new Map();
    this.objStreams = new Map();
  }

  static async open(bytes) {
    const r = new PdfReader(bytes);
    await r.readXref();
    return r;
  }

  async readXref() {
    const b = this.bytes;
    const tail = latin1(b, Math.max(0, b.length - 1024), b.length);
    const m = /startxref\s+(\d+)\s+%%EOF\s*$/.exec(tail);
    if (!m || latin1(b, 0, 5) !== "%PDF-") throw new PdfError("no es un PDF (falta el encabezado o el final)");
    this.startxref = Number(m[1]);
    let offset = this.startxref;
    const seen = new Set();
    while (offset != null && !seen.has(offset)) {
      seen.add(offset);
      const trailer = await this.readSection(offset);
      if (!this.trailer) this.trailer = trailer;
      offset = trailer.get("Prev");
    }
  }

  async readSection(offset) {
    const lx = new Lexer(this.bytes, offset);
    const save = lx.pos;
    if (lx.word() === "xref") {
      for (;;) {
        const w = lx.word();
        if (w === "trailer") break;
        const first = Number(w);
        const count = Number(lx.word());
        for (let i = 0; i < count; i++) {
          const off = Number(lx.word());
          const gen = Number(lx.word());
          const kind = lx.word();
          if (!this.xref.has(first + i)) this.xref.set(first + i, kind === "n" ? { type: 1, offset: off, gen } : { type: 0 });
        }
      }
      return lx.value();
    }
    lx.pos = save;
    const { value } = this.parseIndirect(offset);
    if (!(value instanceof Stream) || value.dict.get("Type")?.name !== "XRef") throw new PdfError("tabla de referencias dañada");
    const data = await this.decode(value);
    const [w0, w1, w2] = value.dict.get("W");
    const index = value.dict.get("Index") ?? [0, value.dict.get("Size")];
    const field = (pos, w, def) => {
      if (w === 0) return def;
      let v = 0;
      for (let i = 0; i < w; i++) v = v * 256 + data[pos + i];
      return v;
    };
    let pos = 0;
    for (let k = 0; k < index.length; k += 2) {
      for (let i = 0; i < index[k + 1]; i++) {
        const num = index[k] + i;
        const type = field(pos, w0, 1);
        const f1 = field(pos + w0, w1, 0);
        const f2 = field(pos + w0 + w1, w2, 0);
        pos += w0 + w1 + w2;
        if (this.xref.has(num)) continue;
        if (type === 1) this.xref.set(num, { type: 1, offset: f1, gen: f2 });
        else if (type === 2) this.xref.set(num, { type: 2, stream: f1, index: f2 });
        else this.xref.set(num, { type: 0 });
      }
    }
    return value.dict;
  }

  parseIndirect(offset) {
    const lx = new Lexer(this.bytes, offset);
    const num = Number(lx.word());
    const gen = Number(lx.word());
    if (lx.word() !== "obj") throw new PdfError(`el objeto ${num} no está donde dice la tabla de referencias`);
    let value = lx.value();
    lx.skip();
    if (value instanceof Map && latin1(this.bytes, lx.pos, lx.pos + 6) === "stream") {
      let start = lx.pos + 6;
      if (this.bytes[start] === 0x0d) start++;
      if (this.bytes[start] === 0x0a) start++;
      let length = value.get("Length");
      if (length instanceof Ref) {
        const e = this.xref.get(length.num);
        length = e && e.type === 1 ? this.parseIndirect(e.offset).value : undefined;
      }
      if (typeof length !== "number") {
        const end = latin1(this.bytes, start, this.bytes.length).indexOf("endstream");
        length = end;
      }
      value = new Stream(value, this.bytes.subarray(start, start + length));
    }
    return { num, gen, value };
  }

  async decode(stream) {
    let data = stream.raw;
    let filters = stream.dict.get("Filter");
    let parms = stream.dict.get("DecodeParms");
    filters = filters == null ? [] : Array.isArray(filters) ? filters : [filters];
    parms = Array.isArray(parms) ? parms : [parms];
    for (let i = 0; i < filters.length; i++) {
      if (filters[i].name !== "FlateDecode") throw new PdfError(`filtro no admitido: ${filters[i].name}`);
      data = unpredict(await inflate(data), parms[i] instanceof Map ? parms[i] : null);
    }
    return data;
  }

  async get(value) {
    if (!(value instanceof Ref)) return value;
    if (this.cache.has(value.num)) return this.cache.get(value.num);
    const e = this.xref.get(value.num);
    let result = null;
    if (e && e.type === 1) result = this.parseIndirect(e.offset).value;
    else if (e && e.type === 2) result = await this.fromObjStream(e.stream, e.index);
    this.cache.set(value.num, result);
    return result;
  }

  async fromObjStream(num, index) {
    if (!this.objStreams.has(num)) {
      const stream = await this.get(new Ref(num, 0));
      const data = await this.decode(stream);
      const n = stream.dict.get("N");
      const first = stream.dict.get("First");
      const lx = new Lexer(data, 0);
      const offsets = [];
      for (let i = 0; i < n; i++) {
        lx.word();
        offsets.push(first + Number(lx.word()));
      }
      this.objStreams.set(num, { data, offsets });
    }
    const { data, offsets } = this.objStreams.get(num);
    return new Lexer(data, offsets[index]).value();
  }

  get size() {
    return this.trailer.get("Size");
  }
}

// --- writing --------------------------------------------------------------------------------------------------

const enc = new TextEncoder();

export function serialize(v) {
  if (v === null || v === undefined) return "null";
  if (v === true || v === false) return String(v);
  if (typeof v === "number") {
    if (Number.isInteger(v)) return String(v);
    return v.toFixed(4).replace(/0+$/, "").replace(/\.$/, "");
  }
  if (v instanceof Name) return "/" + v.name.replace(/[^!-~]|[#()<>[\]{}/%]/g, (c) => "#" + c.charCodeAt(0).toString(16).padStart(2, "0"));
  if (v instanceof Ref) return `${v.num} ${v.gen} R`;
  if (v instanceof Str) return "<" + Array.from(v.bytes, (x) => x.toString(16).padStart(2, "0")).join("") + ">";
  if (Array.isArray(v)) return "[" + v.map(serialize).join(" ") + "]";
  if (v instanceof Map) return "<<" + Array.from(v, ([k, x]) => serialize(new Name(k)) + " " + serialize(x)).join(" ") + ">>";
  if (v instanceof Raw) return v.text;
  throw new PdfError("valor que no se puede escribir");
}

// Text written as it is (the signature placeholders).
export class Raw {
  constructor(text) {
    this.text = text;
  }
}

// A text string: PDFDocEncoding (Latin-1) when it fits, else UTF-16BE.
export function textString(s) {
  if ([...s].every((c) => c.charCodeAt(0) < 256 && c.charCodeAt(0) >= 32)) return new Str(Uint8Array.from(s, (c) => c.charCodeAt(0)));
  const out = [0xfe, 0xff];
  for (let i = 0; i < s.length; i++) out.push(s.charCodeAt(i) >> 8, s.charCodeAt(i) & 0xff);
  return new Str(Uint8Array.from(out));
}

export class IncrementalWriter {
  constructor(reader) {
    this.reader = reader;
    this.next = reader.size;
    this.objects = []; // [num, bytes]
  }

  allocate() {
    return new Ref(this.next++, 0);
  }

  put(ref, value, streamData) {
    let text = `${ref.num} ${ref.gen} obj\n`;
    if (streamData) {
      value.set("Length", streamData.length);
      const head = enc.encode(text + serialize(value) + "\nstream\n");
      const tail = enc.encode("\nendstream\nendobj\n");
      const out = new Uint8Array(head.length + streamData.length + tail.length);
      out.set(head);
      out.set(streamData, head.length);
      out.set(tail, head.length + streamData.length);
      this.objects.push([ref.num, out]);
    } else {
      this.objects.push([ref.num, enc.encode(text + serialize(value) + "\nendobj\n")]);
    }
  }

  // The original bytes, the new objects and a cross-reference stream whose /Prev is the last section.
  finish() {
    const base = this.reader.bytes;
    const sep = base[base.length - 1] === 0x0a ? new Uint8Array(0) : enc.encode("\n");
    const parts = [sep];
    let offset = base.length + sep.length;
    const entries = [];
    for (const [num, bytes] of this.objects) {
      entries.push([num, offset]);
      parts.push(bytes);
      offset += bytes.length;
    }
    const xrefRef = this.allocate();
    entries.push([xrefRef.num, offset]);
    entries.sort((a, b) => a[0] - b[0]);
    const index = [];
    for (const [num] of entries) {
      const last = index.length ? index[index.length - 2] + index[index.length - 1] : -1;
      if (num === last) index[index.length - 1]++;
      else index.push(num, 1);
    }
    const rows = new Uint8Array(entries.length * 7);
    entries.forEach(([, off], i) => {
      rows[i * 7] = 1;
      for (let k = 0; k < 4; k++) rows[i * 7 + 1 + k] = (off >>> (8 * (3 - k))) & 0xff;
    });
    const old = this.reader.trailer;
    const dict = new Map([
      ["Type", new Name("XRef")],
      ["Size", this.next],
      ["Index", index],
      ["W", [1, 4, 2]],
      ["Root", old.get("Root")],
      ["Prev", this.reader.startxref],
    ]);
    if (old.get("Info")) dict.set("Info", old.get("Info"));
    if (old.get("ID")) dict.set("ID", old.get("ID"));
    const xref = enc.encode(`${xrefRef.num} 0 obj\n`);
    const body = enc.encode(serialize(dict).replace(/>>$/, "/Length " + rows.length + ">>") + "\nstream\n");
    const end = enc.encode(`\nendstream\nendobj\nstartxref\n${offset}\n%%EOF\n`);
    parts.push(xref, body, rows, end);
    const total = parts.reduce((n, p) => n + p.length, base.length);
    const out = new Uint8Array(total);
    out.set(base);
    let at = base.length;
    for (const p of parts) {
      out.set(p, at);
      at += p.length;
    }
    return out;
  }
}

export function indexOfBytes(haystack, needle, from = 0) {
  outer: for (let i = from; i <= haystack.length - needle.length; i++) {
    for (let k = 0; k < needle.length; k++) if (haystack[i + k] !== needle[k]) continue outer;
    return i;
  }
  return -1;
}
