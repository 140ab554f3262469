// The slip printed again (/pos/sales/<number>/receipt): the roll chosen on this device (or
// ?roll=), the page fitted to the slip, printed at once with ?print=1.
import { chooseRoll, chosenRoll, fitPageToSlip } from "./slip-page.js";

const paper = document.getElementById("slip-paper");
const select = document.getElementById("slip-roll");
const asked = document.documentElement.dataset.askedRoll;
if (asked) chooseRoll(asked);
select.value = chosenRoll();
const fit = () => fitPageToSlip(paper, select.value);
select.addEventListener("change", () => {
  chooseRoll(select.value);
  fit();
});
window.addEventListener("beforeprint", fit);
document.getElementById("print-receipt").addEventListener("click", () => {
  fit();
  window.print();
});
fit();
document.body.dataset.slipReady = "true";
if (new URLSearchParams(location.search).get("print") === "1") window.print();
