// The page's words for the STL's documents and roles, and its time zone: the publication's datos.js gives them
// (pipeline/publish.py `_pagina_firma`, from the STL's profile and stl.yaml), so the page names no document nor
// role of its own: «la minuta» in Zacatecas, «la Presidenta del Secretariado Técnico Local» in Jalisco.

const datos = () => globalThis.STL_FIRMA || {};

// {el, del, nombre, o} of the document `clase` («minuta», «fe-de-erratas-2»), as pipeline/bitacora.py `palabras`
// gives them (`o`: the ending of the words that agree with it); no class: the session's record of the profile,
// which is what a PDF whose certification names no class is.
export function palabras(clase) {
  const d = datos();
  const c = clase || d.documento || "";
  const conocidas = (d.documentos || {})[c.replace(/[0-9]+$/, "").replace(/-+$/, "")];
  if (conocidas) return conocidas;
  const nombre = c ? `documento ${c}` : "documento";
  return { el: `el ${nombre}`, del: `del ${nombre}`, nombre, o: "o" };
}

// Whom the member sends the signed file, by role: {el, al} («el Facilitador del Secretariado Técnico Local»).
export function recibe() {
  return datos().recibe || { el: "quien le envió el documento", al: "a quien le envió el documento" };
}

// The STL's time zone (stl.yaml, zona_horaria), where the stamp's date and time are written.
export function zona() {
  return datos().zona_horaria || "America/Mexico_City";
}

export function mayuscula(texto) {
  return texto.charAt(0).toUpperCase() + texto.slice(1);
}
