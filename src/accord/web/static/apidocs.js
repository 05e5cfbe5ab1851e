// Starts Swagger UI (from the swagger-ui-dist npm package, served locally) on the app's OpenAPI schema.
"use strict";
window.addEventListener("load", () => {
  window.ui = SwaggerUIBundle({ url: "/api/openapi.json", dom_id: "#swagger-ui", deepLinking: true });
});
