// Show only the address or the showroom, and only the payment ways that fit, for the chosen way
// of getting the goods. Without this script every field is shown and the server checks them
// (the "Show its communes" button is the second step; with the script htmx swaps the communes
// and the fees in as the province changes).
(function () {
  const form = document.querySelector("form.checkout");
  if (!form) return;
  form.classList.add("has-js");
  function update() {
    const chosen = form.querySelector("input[name=fulfilment]:checked");
    const mode = chosen ? chosen.value : "delivery";
    form.querySelectorAll(".when-delivery").forEach((el) => { el.hidden = mode !== "delivery"; });
    form.querySelectorAll(".when-pickup").forEach((el) => { el.hidden = mode !== "pickup"; });
    form.querySelectorAll("label.choice[data-fits]").forEach((label) => {
      const fits = label.dataset.fits === "both" || label.dataset.fits === mode;
      label.hidden = !fits;
      const input = label.querySelector("input");
      if (!fits && input.checked) {
        input.checked = false;
        const first = form.querySelector("label.choice[data-fits]:not([hidden]) input");
        if (first) first.checked = true;
      }
    });
  }
  form.addEventListener("change", (event) => {
    if (event.target.name === "fulfilment") update();
  });
  document.body.addEventListener("htmx:afterSettle", update);
  update();
})();
