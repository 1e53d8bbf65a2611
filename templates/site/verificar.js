// «Verificar un archivo»: the SHA-256 of a chosen PDF, computed here (Web Crypto), compared with the published
// documents of the page (data-sha256). Nothing is uploaded: the page makes no request.
"use strict";
(function () {
  var entrada = document.getElementById("archivo-a-verificar");
  var salida = document.getElementById("resultado-verificacion");
  if (!entrada || !salida) return;
  function hex(buffer) {
    return Array.prototype.map.call(new Uint8Array(buffer), function (b) {
      return b.toString(16).padStart(2, "0");
    }).join("");
  }
  entrada.addEventListener("change", function () {
    var archivo = entrada.files && entrada.files[0];
    if (!archivo) return;
    if (!(window.crypto && window.crypto.subtle)) {
      salida.textContent = "Este navegador no puede calcular el SHA-256 aquí (abra la página por https).";
      return;
    }
    salida.textContent = "Calculando el SHA-256 de " + archivo.name + "…";
    archivo.arrayBuffer().then(function (datos) {
      return window.crypto.subtle.digest("SHA-256", datos);
    }).then(function (digest) {
      var sha = hex(digest);
      var publicado = document.querySelector('[data-sha256="' + sha + '"]');
      if (publicado && publicado.hasAttribute("data-publica")) {
        // The versión pública (LGTAIP art. 111): no signatures of its own; what it is, who signed the original
        // (its constancia) and how to request that original.
        salida.textContent = "Coincide: " + archivo.name + " es la versión pública publicada de «" +
          publicado.getAttribute("data-titulo") + "» (SHA-256 " + sha + "): el mismo documento sin los " +
          "certificados de las firmas electrónicas, que contienen datos personales de quienes firman; no lleva " +
          "firmas. Su constancia reporta las firmas del original: " + publicado.getAttribute("data-firmas") +
          ". El original firmado (SHA-256 " + publicado.getAttribute("data-publica") + ") se conserva en el " +
          "archivo del Secretariado. " + publicado.getAttribute("data-solicitud");
        salida.className = "coincide";
      } else if (publicado) {
        salida.textContent = "Coincide: " + archivo.name + " es el documento publicado «" +
          publicado.getAttribute("data-titulo") + "» (SHA-256 " + sha + ").";
        salida.className = "coincide";
      } else {
        salida.textContent = "No coincide: " + archivo.name + " (SHA-256 " + sha + ") no es ninguno de los " +
          "documentos publicados en esta página. Pudo modificarse o ser otra versión.";
        salida.className = "no-coincide";
      }
    }, function () {
      salida.textContent = "No se pudo leer " + archivo.name + ".";
    });
  });
})();
