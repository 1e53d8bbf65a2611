// Is this PDF the document as `stl preparar-firma` left it, plus signatures only? Checked when it is opened, with or
// without the e-mail link's «#version=…», before the member types anything.
//
// The certification signature (field «certificacion», DocMDP: only filling in signature fields is allowed after
// it) covers the prepared revision byte for byte: its digest must be the SHA-256 of those bytes and its RSA
// signature must verify. Every object of that revision redefined later must say what it said then, except what
// signing writes: a member's signature field gains its value and appearance (V, AP), the catalog gains the
// validation data (DSS), the form its signature flags, the XMP metadata is rewritten. Anything else — a page's content, a field's label, an
// action — is refused, naming it; as is JavaScript anywhere and an action that runs on opening the file.
// `stl incorporar` refuses the same copies later; the page must first, so that nobody signs what they did not see.
// The messages speak of the document as `w` (palabras.js) says: «el acta», «la minuta»…

import { verifySignedData, sha256Binary, sha256Hex } from "./cms.js";
import { Name, PdfReader, Ref, Str, Stream } from "./pdf.js";

export class NotPrepared extends Error {}

const MAY_CHANGE = {
  field: new Set(["V", "AP"]),
  catalog: new Set(["DSS", "Extensions"]),
  form: new Set(["SigFlags"]),
};

function canon(v) {
  if (v instanceof Ref) return `${v.num} ${v.gen} R`;
  if (v instanceof Name) return "/" + v.name;
  if (v instanceof Str) return "<" + Array.from(v.bytes, (b) => b.toString(16).padStart(2, "0")).join("") + ">";
  if (Array.isArray(v)) return "[" + v.map(canon).join(" ") + "]";
  if (v instanceof Map) return "<<" + [...v.keys()].sort().map((k) => `/${k} ${canon(v.get(k))}`).join(" ") + ">>";
  if (typeof v === "number") return String(Math.round(v * 10000) / 10000);
  return String(v);
}

// A stream compares by its dictionary (less how it is compressed) and its decoded bytes.
async function canonObject(reader, value) {
  if (!(value instanceof Stream)) return canon(value);
  const dict = new Map(value.dict);
  for (const k of ["Length", "Filter", "DecodeParms", "DL"]) dict.delete(k);
  let data = value.raw;
  try {
    data = await reader.decode(value);
  } catch {
    // a filter the page does not decode (an image): its raw bytes compare
  }
  return canon(dict) + " stream " + sha256Hex(data);
}

function dictOf(value) {
  return value instanceof Stream ? value.dict : value instanceof Map ? value : null;
}

function text(value) {
  return value instanceof Str ? value.text() : "";
}

function sameEntry(a, b) {
  return a && b && a.type === b.type && a.offset === b.offset && a.stream === b.stream && a.index === b.index;
}

// What each object of the prepared revision is, for a message a person understands.
async function roles(reader) {
  const out = new Map();
  const root = await reader.get(reader.trailer.get("Root"));
  out.set(reader.trailer.get("Root").num, "catalog");
  const acro = root.get("AcroForm");
  if (acro instanceof Ref) out.set(acro.num, "form");
  const xmp = root.get("Metadata");
  if (xmp instanceof Ref) out.set(xmp.num, "metadata");
  const pages = [];
  const walk = async (ref, depth) => {
    const node = await reader.get(ref);
    if (!(node instanceof Map) || depth > 32) return;
    if (node.get("Type")?.name === "Page") {
      pages.push(ref);
      out.set(ref.num, `page ${pages.length}`);
      const contents = node.get("Contents");
      for (const c of Array.isArray(contents) ? contents : [contents]) {
        if (c instanceof Ref) out.set(c.num, `content ${pages.length}`);
      }
      return;
    }
    for (const kid of node.get("Kids") || []) if (kid instanceof Ref) await walk(kid, depth + 1);
  };
  await walk(root.get("Pages"), 0);
  return out;
}

function describe(role, old, w) {
  const dict = dictOf(old);
  if (role?.startsWith("page ")) return `la página ${role.slice(5)}`;
  if (role?.startsWith("content ")) return `el contenido de la página ${role.slice(8)}`;
  if (role === "catalog") return "el catálogo del documento (lo que hace al abrirse, sus nombres y acciones)";
  if (role === "form") return `el formulario de firmas (los campos ${w.del})`;
  if (dict?.get("FT")?.name === "Sig") return `el campo de firma «${text(dict.get("T"))}»`;
  if (dict?.get("Type")?.name === "Metadata") return "los metadatos del documento";
  return "un objeto del documento";
}

function kind(role, old) {
  const dict = dictOf(old);
  if (role === "catalog" || role === "form" || role === "metadata") return role;
  if (dict?.get("FT")?.name === "Sig" && text(dict.get("T")).startsWith("firma-") && !dict.has("V")) return "field";
  return null;
}

function changedKeys(a, b) {
  const keys = new Set([...a.keys(), ...b.keys()]);
  return [...keys].filter((k) => canon(a.get(k) ?? null) !== canon(b.get(k) ?? null));
}

// The certification signature's dictionary, checked against the bytes it covers; gives where they end.
async function certification(bytes, reader, certField, w) {
  const sig = await reader.get(certField.get("V"));
  const range = sig instanceof Map ? sig.get("ByteRange") : null;
  const contents = sig instanceof Map ? sig.get("Contents") : null;
  if (!Array.isArray(range) || range.length !== 4 || !(contents instanceof Str)) {
    throw new NotPrepared(`la firma de certificación ${w.del} está incompleta`);
  }
  const [a, b, c, d] = range;
  if (a !== 0 || b <= 0 || c <= b || c + d > bytes.length || bytes[b] !== 0x3c || bytes[c - 1] !== 0x3e) {
    throw new NotPrepared(`la firma de certificación ${w.del} no cubre el documento como debe`);
  }
  const digest = sha256Binary([bytes.subarray(0, b), bytes.subarray(c, c + d)]);
  const check = verifySignedData(contents.bytes, digest);
  if (!check.digest || check.signature === false) {
    throw new NotPrepared(
      `el contenido ${w.del} ya no es el que certificó quien l${w.o} preparó (su firma de certificación no corresponde)`,
    );
  }
  return c + d;
}

async function javascript(reader) {
  const root = await reader.get(reader.trailer.get("Root"));
  if (root.has("OpenAction") || root.has("AA")) return "una acción que se ejecuta al abrir el archivo";
  const names = await reader.get(root.get("Names"));
  if (names instanceof Map && names.has("JavaScript")) return "JavaScript";
  for (const [num, entry] of reader.xref) {
    if (entry.type === 0) continue;
    let value;
    try {
      value = await reader.get(new Ref(num, entry.gen ?? 0));
    } catch {
      continue; // a damaged object is not an action; the certification and the diff speak for the rest
    }
    const dict = dictOf(value);
    if (dict && (dict.has("JS") || dict.get("S")?.name === "JavaScript")) return "JavaScript";
    if (dict && dict.has("AA") && dict.get("Type")?.name !== "Catalog") return "una acción que se ejecuta sola";
  }
  return null;
}

// Throws NotPrepared, in Spanish, when the PDF is not the prepared document plus signatures.
export async function checkPrepared(bytes, reader, certField, w) {
  const action = await javascript(reader);
  if (action) throw new NotPrepared(`el PDF lleva ${action}, que ${w.el} preparad${w.o} por stl nunca lleva`);
  const end = await certification(bytes, reader, certField, w);
  const prepared = await PdfReader.open(bytes.subarray(0, end));
  const what = await roles(prepared);
  for (const [num, before] of prepared.xref) {
    if (before.type === 0) continue;
    const now = reader.xref.get(num);
    const inStream = before.type === 2 && !sameEntry(prepared.xref.get(before.stream), reader.xref.get(before.stream));
    if (sameEntry(before, now) && !inStream) continue;
    const ref = new Ref(num, before.gen ?? 0);
    const old = await prepared.get(ref);
    const current = now && now.type !== 0 ? await reader.get(ref) : null;
    if (current === null) throw new NotPrepared(`se quitó ${describe(what.get(num), old, w)} después de preparar ${w.el}`);
    if ((await canonObject(prepared, old)) === (await canonObject(reader, current))) continue;
    const role = kind(what.get(num), old);
    // pyHanko rewrites the XMP packet when it signs (its DocMDP rules allow it): text no page shows.
    if (role === "metadata" && current instanceof Stream && current.dict.get("Subtype")?.name === "XML") continue;
    const allowed = MAY_CHANGE[role];
    const a = dictOf(old);
    const b = dictOf(current);
    if (allowed && a && b && !(current instanceof Stream) && changedKeys(a, b).every((k) => allowed.has(k))) continue;
    let detail = "";
    if (a && b && a.get("FT")?.name === "Sig" && canon(a.get("TU")) !== canon(b.get("TU"))) {
      detail = `: su rótulo decía «${text(a.get("TU")).split("|")[0]}» y ahora dice «${text(b.get("TU")).split("|")[0]}»`;
    }
    throw new NotPrepared(`${describe(what.get(num), old, w)} cambió después de preparar ${w.el}${detail}`);
  }
}
