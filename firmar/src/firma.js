// One member's signature into their own field of the prepared document, as `stl firmar` makes it.
//
// Takes the PDF bytes of the current version, the field (`firma-ID`) and an opened credential; gives the PDF
// with one incremental update that writes only what a signature needs, which is all the certification's DocMDP
// level (P 2: fill in forms and sign) allows: the signature dictionary, the field with its value and the
// widget's appearance, and the appearance stream itself. The stamp's font is the one `stl preparar-firma` put
// in the form's resources (/AcroForm /DR /Font /STLSello, Liberation Serif embedded, WinAnsiEncoding), so no font
// is added and the document stays PDF/A.

import { binaryToBytes, chainFor, sha256Binary, signedData } from "./cms.js";
import { letrasAjenas, mismoNombre, mostrar, parecidos } from "./identidad.js";
import { palabras, recibe } from "./palabras.js";
import { IncrementalWriter, Name, PdfReader, Raw, Ref, Str, indexOfBytes, serialize, textString } from "./pdf.js";
import { NotPrepared, checkPrepared } from "./preparada.js";

export class SignError extends Error {}

export const FONT_KEY = "STLSello";
const FONT_SIZE = 6;
const LEADING = 8;

// Who signs, as the certificate says (pipeline/certificados.py `titular_del_sello`): its holder; a persona
// moral's e.firma, said to sign through its representative.
export function titularDelSello(cert) {
  return cert.moral ? `${cert.holder} (persona moral, por conducto de su representante)` : cert.holder;
}

// The text of `stl firmar`'s stamp (pipeline/sign.py, SELLO and `_sello`), line by line: the certificate's
// holder signs; the next line is the field's cargo, preceded by the member's name when the holder is someone
// else (a company); `del` is «del acta», «de la minuta»… (the document the certification field names).
export function stampLines({ cert, nombre, cargo, ts, fojas, del: delDoc }) {
  const amparo = fojas === 1 ? "la foja" : `las ${fojas} fojas`;
  const otro = cert.moral || !mismoNombre(cert.holder, nombre);
  return [
    `Firmado electrónicamente por: ${titularDelSello(cert)}`,
    otro ? `${nombre}, ${cargo}` : cargo,
    `Fecha y hora: ${ts}`,
    `Certificado núm. ${cert.number}`,
    `Emisor: ${cert.issuerName}`,
    `Firma electrónica que ampara ${amparo} ${delDoc}.`,
  ];
}

// Windows-1252, the stamp font's encoding: Unicode → byte.
const CP1252_HIGH = "€\u0081‚ƒ„…†‡ˆ‰Š‹Œ\u008dŽ\u008f\u0090‘’“”•–—˜™š›œ\u009džŸ";
function winAnsi(s) {
  const out = [];
  for (const ch of s) {
    const c = ch.codePointAt(0);
    if ((c >= 0x20 && c < 0x7f) || (c >= 0xa0 && c <= 0xff)) out.push(c);
    else {
      const i = CP1252_HIGH.indexOf(ch);
      if (i < 0 || "\u0081\u008d\u008f\u0090\u009d".includes(ch)) {
        throw new SignError(`el sello no puede escribir el carácter «${ch}» con su fuente (Latin-1)`);
      }
      out.push(0x80 + i);
    }
  }
  return out;
}

export function pdfDate(d) {
  const p = (n) => String(n).padStart(2, "0");
  return `D:${d.getUTCFullYear()}${p(d.getUTCMonth() + 1)}${p(d.getUTCDate())}${p(d.getUTCHours())}${p(d.getUTCMinutes())}${p(d.getUTCSeconds())}Z`;
}

// «04/12/2026 15:36:49 (UTC-06:00)»: the moment in local time of the time zone `zona` with its offset, as
// pipeline/spanish.py `fecha_hora_local` writes it in the stamp of `stl firmar` (whole seconds).
export function stampTime(d, zona) {
  const formato = new Intl.DateTimeFormat("en-US", {
    timeZone: zona,
    hourCycle: "h23",
    year: "numeric",
    month: "2-digit",
    day: "2-digit",
    hour: "2-digit",
    minute: "2-digit",
    second: "2-digit",
  });
  const t = Object.fromEntries(formato.formatToParts(d).map((parte) => [parte.type, parte.value]));
  const local = Date.UTC(+t.year, +t.month - 1, +t.day, +t.hour, +t.minute, +t.second);
  const minutos = Math.round((local - Math.floor(d.getTime() / 1000) * 1000) / 60000);
  const p = (n) => String(n).padStart(2, "0");
  const desfase = `${minutos < 0 ? "-" : "+"}${p(Math.floor(Math.abs(minutos) / 60))}:${p(Math.abs(minutos) % 60)}`;
  return `${t.day}/${t.month}/${t.year} ${t.hour}:${t.minute}:${t.second} (UTC${desfase})`;
}

// What the page needs to know of the prepared document before the member types the password; `palabras`, how
// to speak of it (the class its certification field names: «Certificación|IV-2020|minuta»).
export async function readPrepared(bytes) {
  let reader;
  try {
    reader = await PdfReader.open(bytes);
  } catch (e) {
    throw new SignError("el archivo no es un PDF legible: elija el PDF que recibió por correo");
  }
  const root = await reader.get(reader.trailer.get("Root"));
  const acroRef = root.get("AcroForm");
  const acro = await reader.get(acroRef);
  const fields = [];
  let certified = false;
  let certField = null;
  let clase = "";
  for (const ref of (acro && (await reader.get(acro.get("Fields")))) || []) {
    const field = await reader.get(ref);
    if (!(field instanceof Map) || field.get("FT")?.name !== "Sig") continue;
    const name = field.get("T") instanceof Str ? field.get("T").text() : "";
    const tu = field.get("TU") instanceof Str ? field.get("TU").text() : "";
    if (name === "certificacion") {
      certified = field.has("V");
      certField = field;
      clase = tu.split("|")[2] || "";
      continue;
    }
    if (!name.startsWith("firma-")) continue;
    const [nombre, cargo] = tu.split("|");
    fields.push({ name, id: name.slice(6), nombre: nombre || name.slice(6), cargo: cargo || "", signed: field.has("V"), ref, field });
  }
  if (!fields.length || !certified) {
    throw new SignError(
      "este PDF no es un documento preparado para firma (no tiene los campos de firma certificados por «stl preparar-firma»)",
    );
  }
  const dr = acro.get("DR") instanceof Ref ? await reader.get(acro.get("DR")) : acro.get("DR");
  const fonts = dr && (dr.get("Font") instanceof Ref ? await reader.get(dr.get("Font")) : dr.get("Font"));
  const fontRef = fonts && fonts.get(FONT_KEY);
  const font = fontRef && (await reader.get(fontRef));
  if (!(fontRef instanceof Ref) || !(font instanceof Map)) {
    throw new SignError(
      `este PDF se preparó con una versión de stl que no incluye la fuente del sello: pida ${recibe().al} que lo prepare de nuevo`,
    );
  }
  const words = palabras(clase);
  try {
    await checkPrepared(bytes, reader, certField, words);
  } catch (e) {
    if (e instanceof NotPrepared) throw new SignError(`${e.message}; pida ${recibe().al} el PDF que envió`);
    throw e;
  }
  const pages = await reader.get(root.get("Pages"));
  return {
    reader,
    fields,
    fontRef,
    palabras: words,
    widths: await reader.get(font.get("Widths")),
    firstChar: font.get("FirstChar"),
    fojas: pages.get("Count"),
  };
}

function day(d) {
  return d.toISOString().slice(0, 10);
}

// Why `cert` cannot sign `field` at `now`, each reason in Spanish (none: it can): out of its validity, or
// another holder than the field's member — another person, a company (a persona moral's e.firma) or a name
// that only looks like hers. As `stl registrar-certificado` and `stl firmar` refuse them.
export function certificateProblems(cert, field, now) {
  const out = [];
  const holder = mostrar(cert.holder);
  const which = `el certificado de ${holder} (núm. ${cert.number})`;
  if (now > cert.notAfter) out.push(`${which} caducó el ${day(cert.notAfter)}: una firma hecha con él no es válida`);
  else if (now < cert.notBefore) out.push(`${which} es válido a partir del ${day(cert.notBefore)}: aún no puede firmar con él`);
  if (!field) return out;
  if (mismoNombre(cert.holder, field.nombre)) {
    if (holder !== cert.holder) out.push(`el titular del certificado, «${holder}», lleva caracteres invisibles`);
  } else if (parecidos(cert.holder, field.nombre)) {
    const ajenas = letrasAjenas(cert.holder);
    const cuales = ajenas.length ? `: tiene ${ajenas.join(", ")} donde el nombre tiene letras latinas` : "";
    out.push(`el titular del certificado, «${holder}», se parece a ${field.nombre} pero no es el mismo nombre${cuales}`);
  } else {
    const moral = cert.moral ? " (es la e.firma de una persona moral: firma por la empresa)" : "";
    out.push(
      `el titular del certificado (${holder}) no es ${field.nombre}${moral}: cada quien firma su propio campo con su propio certificado; revise que eligió los suyos`,
    );
  }
  return out;
}

function widthOf(codes, doc) {
  return codes.reduce((w, c) => w + (doc.widths[c - doc.firstChar] ?? 500), 0) / 1000;
}

// The appearance stream: the stamp's six lines, shrunk to the widget's width when a line is longer.
function appearance(lines, doc, box) {
  const [x1, y1, x2, y2] = box;
  const width = Math.abs(x2 - x1);
  const height = Math.abs(y2 - y1);
  const coded = lines.map(winAnsi);
  const widest = Math.max(...coded.map((c) => widthOf(c, doc) * FONT_SIZE));
  const pad = 2;
  const scale = Math.min(1, (width - 2 * pad) / widest, (height - 2 * pad) / (LEADING * lines.length));
  const size = FONT_SIZE * scale;
  const leading = LEADING * scale;
  let ops = `BT /${FONT_KEY} ${size.toFixed(3)} Tf ${leading.toFixed(3)} TL ${pad} ${(height - pad - size).toFixed(3)} Td`;
  coded.forEach((codes, i) => {
    const hex = codes.map((c) => c.toString(16).padStart(2, "0")).join("");
    ops += i === 0 ? ` <${hex}> Tj` : ` T* <${hex}> Tj`;
  });
  ops += " ET";
  return { data: new TextEncoder().encode(ops), width, height };
}

// The signed PDF (Uint8Array). `now` is the signing time (the stamp and /M say it); `zona`, the STL's time
// zone, where the stamp writes it.
export async function sign(bytes, doc, fieldName, credential, intermediates, now, zona) {
  const target = doc.fields.find((f) => f.name === fieldName);
  if (!target) throw new SignError(`${doc.palabras.el} no tiene campo de firma «${fieldName}»`);
  if (target.signed) throw new SignError(`el campo de ${target.nombre} ya está firmado: no se firma dos veces`);
  const problems = certificateProblems(credential.cert, target, now);
  if (problems.length) throw new SignError(problems[0]);
  const { reader } = doc;
  const chain = chainFor(credential.cert, [...credential.chain, ...intermediates]);
  const writer = new IncrementalWriter(reader);
  const lines = stampLines({
    cert: credential.cert,
    nombre: target.nombre,
    cargo: target.cargo,
    ts: stampTime(now, zona),
    fojas: doc.fojas,
    del: doc.palabras.del,
  });
  const ap = appearance(lines, doc, target.field.get("Rect"));
  const apRef = writer.allocate();
  writer.put(
    apRef,
    new Map([
      ["Type", new Name("XObject")],
      ["Subtype", new Name("Form")],
      ["BBox", [0, 0, ap.width, ap.height]],
      ["Resources", new Map([["Font", new Map([[FONT_KEY, doc.fontRef]])]])],
    ]),
    ap.data,
  );
  // The CMS object's size does not depend on the digest: one built over zeros gives it (plus room to spare).
  const probe = signedData(credential, "\0".repeat(32), chain);
  const reserve = probe.length + 64;
  const sigRef = writer.allocate();
  const byteRangeSlot = "[0 0 0 0]" + " ".repeat(40);
  const contentsSlot = "<" + "0".repeat(2 * reserve) + ">";
  const sigDict = new Map([
    ["Type", new Name("Sig")],
    ["Filter", new Name("Adobe.PPKLite")],
    ["SubFilter", new Name("ETSI.CAdES.detached")],
    ["M", textString(pdfDate(now))],
    ["Name", textString(target.nombre)],
    ["Reason", textString(`Firma ${doc.palabras.del} por ${target.nombre}`)],
    ["ByteRange", new Raw(byteRangeSlot)],
    ["Contents", new Raw(contentsSlot)],
  ]);
  writer.put(sigRef, sigDict);
  const field = new Map(target.field);
  field.set("V", sigRef);
  field.set("AP", new Map([["N", apRef]]));
  writer.put(target.ref, field);
  const out = writer.finish();

  const marker = new TextEncoder().encode(`${sigRef.num} 0 obj\n`);
  const objAt = indexOfBytes(out, marker, reader.bytes.length);
  const brAt = indexOfBytes(out, new TextEncoder().encode(byteRangeSlot), objAt);
  const start = indexOfBytes(out, new TextEncoder().encode(contentsSlot), objAt);
  const end = start + contentsSlot.length;
  const range = `[0 ${start} ${end} ${out.length - end}]`;
  out.set(new TextEncoder().encode(range.padEnd(byteRangeSlot.length, " ")), brAt);
  const digest = sha256Binary([out.subarray(0, start), out.subarray(end)]);
  const cms = signedData(credential, digest, chain);
  if (cms.length > reserve) throw new SignError("la firma no cupo en el espacio reservado");
  const hex = Array.from(cms, (b) => b.toString(16).padStart(2, "0")).join("");
  out.set(new TextEncoder().encode(hex), start + 1);
  return out;
}

export { binaryToBytes, serialize };
