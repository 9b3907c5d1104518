// Starts Swagger UI on /docs from a file, not an inline script, so the page keeps the
// console's strict Content-Security-Policy. The schema's address comes from the page.
"use strict";
document.addEventListener("DOMContentLoaded", function () {
  var root = document.getElementById("swagger-ui");
  if (!root || typeof window.SwaggerUIBundle !== "function") {
    return;
  }
  window.ui = window.SwaggerUIBundle({
    url: root.getAttribute("data-schema-url") || "/openapi.json",
    domNode: root,
    deepLinking: true,
    presets: [window.SwaggerUIBundle.presets.apis],
    layout: "BaseLayout",
  });
});
