// Swagger UI's start script, served by the gateway in place of the one in swagger-ui-dist (which
// shows the petstore): the UI at /openapi/ui/ shows the platform's merged document, /openapi.
// "Try it out" sends requests to the same origin, the gateway.
window.onload = function () {
  window.ui = SwaggerUIBundle({
    url: "/openapi",
    dom_id: "#swagger-ui",
    deepLinking: true,
    presets: [SwaggerUIBundle.presets.apis, SwaggerUIStandalonePreset],
    plugins: [SwaggerUIBundle.plugins.DownloadUrl],
    layout: "StandaloneLayout",
  });
};
