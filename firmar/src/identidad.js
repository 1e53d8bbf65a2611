// Who a name names, as pipeline/identidad.py says it: the same name as people compare names (accents, capitals
// and spacing aside: «ZULEMA MARTINEZ SANCHEZ» is «Zulema Martínez Sánchez»), a name that only looks like
// another (a Cyrillic «а», a Greek «Ζ», «rn» for «m»: Unicode's confusables, from the same table), and a
// certificate's text as the page may show it (U+202E and its kind written as ⟨U+202E⟩, never obeyed).

import { PROTOTIPOS } from "./parecidos.js";

const QUITAR = /[\p{Mn}\p{Me}\p{Cf}]/gu;
const MARCA = /[\p{Mn}\p{Me}\p{Cf}]/u;

function sinMarcas(texto) {
  return texto.normalize("NFD").replace(QUITAR, "");
}

function espacios(texto) {
  return texto.split(/\s+/u).filter(Boolean).join(" ");
}

export function comparable(nombre) {
  return espacios(sinMarcas(nombre).toUpperCase().toLowerCase());
}

export function mismoNombre(a, b) {
  return comparable(a) === comparable(b);
}

// As written, in capitals and in small letters: «I» looks like «l» only as a capital, «m» like «rn» only in
// small letters; each case is compared apart.
function esqueletos(nombre) {
  return [nombre, nombre.toUpperCase(), nombre.toLowerCase()].map((variante) =>
    espacios(Array.from(sinMarcas(variante), (c) => PROTOTIPOS[c] ?? c).join("")),
  );
}

export function parecidos(a, b) {
  if (mismoNombre(a, b)) return false;
  const x = esqueletos(a);
  const y = esqueletos(b);
  return x.some((e, i) => e === y[i]);
}

const ESCRITURAS = [
  ["Cyrillic", "cirílica"],
  ["Greek", "griega"],
  ["Armenian", "armenia"],
  ["Cherokee", "cheroqui"],
  ["Coptic", "copta"],
  ["Lisu", "lisu"],
  ["Georgian", "georgiana"],
];

function escritura(c) {
  for (const [nombre, espanol] of ESCRITURAS) if (new RegExp(`\\p{Script=${nombre}}`, "u").test(c)) return espanol;
  if (/\p{Script=Latin}/u.test(c)) return "latina";
  return /\p{L}/u.test(c) ? "de otra escritura" : "signo";
}

// The characters of a name that only look Latin: «а» (U+0430, letra cirílica), each once.
export function letrasAjenas(nombre) {
  const vistas = [];
  for (const c of new Set(nombre.normalize("NFC"))) {
    if (c.charCodeAt(0) < 0x80 || MARCA.test(c)) continue;
    const cual = escritura(c);
    if ((cual === "latina" || cual === "signo") && !(c in PROTOTIPOS)) continue;
    const tipo = cual === "latina" ? "letra latina poco común" : cual === "signo" ? "signo" : `letra ${cual}`;
    vistas.push(`«${c}» (U+${c.codePointAt(0).toString(16).toUpperCase().padStart(4, "0")}, ${tipo})`);
  }
  return vistas;
}

const OCULTO = /[\p{Cc}\p{Cf}\p{Co}\p{Cs}\p{Cn}\p{Zl}\p{Zp}]/u;

// A certificate's text for the page: every control, bidirectional or zero-width character as ⟨U+XXXX⟩.
export function mostrar(texto) {
  return Array.from(texto, (c) =>
    OCULTO.test(c) ? `⟨U+${c.codePointAt(0).toString(16).toUpperCase().padStart(4, "0")}⟩` : c,
  ).join("");
}
