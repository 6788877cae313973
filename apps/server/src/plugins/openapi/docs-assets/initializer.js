// The API reference page's one script, served from this server (/docs/initializer.js) so the
// page's CSP needs no inline script. Swagger UI (swagger-ui-bundle.js, loaded before this)
// renders the document the page names in data-openapi-url.
const mount = document.getElementById("swagger-ui");

window.ui = SwaggerUIBundle({
  domNode: mount,
  url: mount.dataset.openapiUrl,
  presets: [SwaggerUIBundle.presets.apis],
  // The plain layout: no top bar with a field that loads any other document.
  layout: "BaseLayout",
  deepLinking: true,
  // No ?url=… or ?configUrl=… from the address bar: the page shows this API's document only.
  queryConfigEnabled: false,
  // The validity badge would ask validator.swagger.io; nothing leaves this server.
  validatorUrl: null,
  // A bearer token pasted into "Authorize" stays in the tab, never in localStorage.
  persistAuthorization: false,
});
