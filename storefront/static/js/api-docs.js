// The browsable API page: Swagger UI (from npm, served by the shop) over our OpenAPI document.
document.addEventListener("DOMContentLoaded", () => {
  const target = document.getElementById("swagger-ui");
  if (!target || typeof SwaggerUIBundle === "undefined") return;
  SwaggerUIBundle({
    url: target.dataset.specUrl,
    domNode: target,
    deepLinking: false,
    supportedSubmitMethods: ["get"],
    tryItOutEnabled: true,
    validatorUrl: null,
  });
});
