// The signing page (sitio/firmar/index.html): the member's four steps, every message in Spanish.
//
// The link `stl enviar firma` sends may carry, after «#», who signs (`firmante`), the SHA-256 of the current
// version (`version`) and of the registered certificate (`huella`): fragments never reach a server. With them
// the page refuses a PDF that is not the current version and warns of a certificate that is not the registered
// one; the publication's datos.js gives the intermediate certificates the STL trusts (stl.yaml, firma.intermedias).
// The page speaks of the STL's document (datos.js: «el acta», «la minuta») until a PDF is opened, then of the
// document that PDF is (its certification names its class): the elements marked `data-palabra` change with it.

import { Certificate, CredentialError, binaryToBytes, efirma, p12, sha256Hex } from "./cms.js";
import { SignError, certificateProblems, readPrepared, sign } from "./firma.js";
import { mismoNombre, mostrar } from "./identidad.js";
import { mayuscula, palabras, recibe, zona } from "./palabras.js";

const $ = (id) => document.getElementById(id);
const state = { doc: null, bytes: null, name: "", cert: null };
const params = new URLSearchParams(location.hash.slice(1));

function intermediates() {
  const data = window.STL_FIRMA || {};
  return (data.intermedias || []).map((b64) => new Certificate(binaryToBytes(atob(b64))));
}

function el(tag, text, cls) {
  const e = document.createElement(tag);
  e.textContent = text;
  if (cls) e.className = cls;
  return e;
}

function message(text, ok = false) {
  const m = $("mensaje");
  m.className = ok ? "ok" : "fallo";
  m.replaceChildren(...(Array.isArray(text) ? text : [text]).map((t) => (typeof t === "string" ? el("p", t) : t)));
}

async function readFile(input) {
  const file = input.files && input.files[0];
  return file ? { bytes: new Uint8Array(await file.arrayBuffer()), name: file.name } : null;
}

// The words of the document open, or of the STL's own before one is.
function words() {
  return state.doc ? state.doc.palabras : palabras();
}

function reword() {
  const w = words();
  for (const e of document.querySelectorAll("[data-palabra]")) e.textContent = w[e.dataset.palabra];
  document.title = `Firmar ${w.el} con su e.firma`;
  if (!$("firmar").disabled) $("firmar").textContent = `Firmar y descargar ${w.el}`;
}

function medium() {
  return document.querySelector("input[name=medio]:checked").value;
}

function selected() {
  return state.doc && state.doc.fields.find((f) => f.name === $("campo").value);
}

function summary() {
  const out = [];
  const field = selected();
  if (field) {
    out.push(el("p", `Firmará el campo de ${field.nombre}, ${field.cargo}.`));
    if (field.signed) out.push(el("p", `Ese campo ya está firmado.`, "error"));
  }
  if (state.cert) {
    const c = state.cert;
    const day = (d) => d.toISOString().slice(0, 10);
    out.push(
      el("p", `Certificado de ${mostrar(c.holder)}, núm. ${c.number}, emitido por ${mostrar(c.issuerName)}, vigente del ${day(c.notBefore)} al ${day(c.notAfter)}.`),
    );
    for (const problem of certificateProblems(c, field, new Date())) {
      out.push(el("p", `Aviso: ${problem}; así no se puede firmar.`, "aviso"));
    }
    if (c.moral) {
      out.push(
        el("p", `Aviso: es la e.firma de una persona moral (lleva el RFC de la empresa y el de su representante): la firma será a nombre de ${mostrar(c.holder)}.`, "aviso"),
      );
    }
    const registered = params.get("huella");
    if (registered && field && field.id === params.get("firmante") && registered.toLowerCase() !== state.cert.sha256) {
      out.push(el("p", `Aviso: este certificado no es el que el STL tiene registrado para ${field.nombre}; ${recibe().el} no podrá incorporar la firma.`, "aviso"));
    }
  }
  $("resumen").replaceChildren(...(out.length ? out : [el("p", `Abra ${words().el} y elija su e.firma.`)]));
}

async function onPdf() {
  state.doc = null;
  $("campo").replaceChildren();
  $("campo").disabled = true;
  $("documento-info").replaceChildren();
  message([]);
  reword();
  const file = await readFile($("pdf"));
  if (!file) return summary();
  try {
    const doc = await readPrepared(file.bytes);
    const version = params.get("version");
    if (version && version.toLowerCase() !== sha256Hex(file.bytes)) {
      throw new SignError(
        `este PDF no es la versión actual ${doc.palabras.del}: otra persona firmó después o es una copia anterior; use el PDF del último correo que recibió`,
      );
    }
    state.doc = doc;
    state.bytes = file.bytes;
    state.name = file.name;
    for (const f of doc.fields) {
      const option = el("option", `${f.nombre} — ${f.cargo}${f.signed ? " (ya firmó)" : ""}`);
      option.value = f.name;
      $("campo").append(option);
    }
    const wanted = doc.fields.find((f) => f.id === params.get("firmante")) || doc.fields.find((f) => !f.signed);
    if (wanted) $("campo").value = wanted.name;
    $("campo").disabled = false;
    const pending = doc.fields.filter((f) => !f.signed).length;
    const fojas = `${doc.fojas} ${doc.fojas === 1 ? "foja" : "fojas"}`;
    $("documento-info").replaceChildren(
      el("p", `${mayuscula(doc.palabras.nombre)} de ${fojas}; firmas pendientes: ${pending} de ${doc.fields.length}.`),
    );
    reword();
    matchHolder();
  } catch (e) {
    message(`No se puede firmar: ${e instanceof SignError ? e.message : "el archivo no es un PDF legible"}.`);
  }
  summary();
}

function matchHolder() {
  if (!state.doc || !state.cert || params.get("firmante")) return;
  const mine = state.doc.fields.find((f) => !f.signed && mismoNombre(f.nombre, state.cert.holder));
  if (mine) $("campo").value = mine.name;
}

async function onCer() {
  state.cert = null;
  const file = await readFile($("cer"));
  if (file) {
    try {
      state.cert = new Certificate(file.bytes[0] === 0x30 ? file.bytes : binaryToBytes(atob(new TextDecoder().decode(file.bytes).replace(/-----[^-]+-----|\s/g, ""))));
      matchHolder();
    } catch {
      message("No se puede firmar: el archivo .cer no es un certificado (elija el .cer de su e.firma).");
    }
  }
  summary();
}

function onMedium() {
  const efirmaSel = medium() === "efirma";
  $("archivos-efirma").hidden = !efirmaSel;
  $("archivos-p12").hidden = efirmaSel;
  state.cert = null;
  if (efirmaSel) onCer();
  else summary();
}

async function credential() {
  const password = $("contrasena").value;
  if (!password) throw new CredentialError("escriba la contraseña de su llave privada");
  if (medium() === "efirma") {
    const cer = await readFile($("cer"));
    const key = await readFile($("key"));
    if (!cer || !key) throw new CredentialError("elija su certificado (.cer) y su llave privada (.key)");
    return efirma(cer.bytes, key.bytes, password);
  }
  const file = await readFile($("p12"));
  if (!file) throw new CredentialError("elija su archivo .p12 o .pfx");
  return p12(file.bytes, password);
}

function download(bytes, name) {
  const url = URL.createObjectURL(new Blob([bytes], { type: "application/pdf" }));
  const a = document.createElement("a");
  a.href = url;
  a.download = name;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60000);
}

async function onSubmit(event) {
  event.preventDefault();
  const button = $("firmar");
  button.disabled = true;
  button.textContent = "Firmando…";
  message([]);
  await new Promise((r) => setTimeout(r, 20)); // let the page say «Firmando…» before the work
  try {
    if (!state.doc) throw new SignError(`abra primero el PDF ${words().del}`);
    const field = selected();
    const cred = await credential();
    state.cert = cred.cert;
    summary();
    const signed = await sign(state.bytes, state.doc, field.name, cred, intermediates(), new Date(), zona());
    const name = `${state.name.replace(/\.pdf$/i, "")}.firmado-${field.id}.pdf`;
    download(signed, name);
    message([`Listo: se descargó ${name}, con la firma de ${field.nombre}.`, `Envíe ese archivo ${recibe().al}; no necesita hacer nada más.`], true);
    $("contrasena").value = "";
  } catch (e) {
    const known = e instanceof SignError || e instanceof CredentialError;
    message(`No se firmó: ${known ? e.message : "ocurrió un error inesperado (" + (e && e.message) + ")"}.`);
  } finally {
    button.disabled = false;
    reword();
  }
}

function init() {
  $("pdf").addEventListener("change", onPdf);
  $("cer").addEventListener("change", onCer);
  $("p12").addEventListener("change", summary);
  $("campo").addEventListener("change", summary);
  for (const r of document.querySelectorAll("input[name=medio]")) r.addEventListener("change", onMedium);
  $("firma").addEventListener("submit", onSubmit);
  reword();
  document.documentElement.dataset.listo = "1";
}

if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
else init();
