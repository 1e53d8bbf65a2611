// The console's few live parts, all optional (every form works without this file): the business days counted as
// the convocatoria's date is typed, a vote's outcome as each member's vote is marked, the acta's pages beside the
// record, and the focus put back where the last form was saved. Requests go only to this same console.
"use strict";

function reemplazar(destino, html) {
  destino.innerHTML = html;  // HTML made by the console itself, escaped by its templates
}

document.addEventListener("DOMContentLoaded", () => {
  // Focus the part of the page the last form changed (the address ends in #its-id).
  if (location.hash.length > 1) {
    const lugar = document.getElementById(decodeURIComponent(location.hash.slice(1)));
    if (lugar) {
      if (lugar.tagName === "DETAILS") lugar.open = true;
      lugar.focus({preventScroll: false});
    }
  }

  for (const campo of document.querySelectorAll("input[data-habiles]")) {
    const salida = document.getElementById("habiles");
    const contar = async () => {
      if (!campo.value) return;
      const url = campo.dataset.habiles + "?fecha=" + encodeURIComponent(campo.value);
      const respuesta = await fetch(url, {cache: "no-store", credentials: "same-origin"});
      if (respuesta.ok) reemplazar(salida, await respuesta.text());
    };
    campo.addEventListener("input", contar);
    campo.addEventListener("change", contar);
  }

  for (const votos of document.querySelectorAll("[data-previa]")) {
    const formulario = votos.closest("form");
    const salida = formulario.querySelector(".resultado");
    let ultima = 0;  // only the answer to the latest change is shown (answers may come back out of order)
    const ver = async () => {
      const esta = ++ultima;
      const respuesta = await fetch(votos.dataset.previa, {
        method: "POST", body: new FormData(formulario), cache: "no-store", credentials: "same-origin",
      });
      const html = respuesta.ok ? await respuesta.text() : null;
      if (html !== null && esta === ultima) reemplazar(salida, html);
    };
    votos.addEventListener("change", ver);
  }

  for (const lado of document.querySelectorAll("[data-paginas]")) {
    fetch(lado.dataset.paginas, {cache: "no-store", credentials: "same-origin"}).then(async (respuesta) => {
      if (!respuesta.ok) return;
      const contenedor = document.createElement("div");
      contenedor.className = "hojas";
      reemplazar(contenedor, await respuesta.text());
      lado.querySelector(".cargando").replaceWith(contenedor);
    });
  }
});
