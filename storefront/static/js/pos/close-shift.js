// Closing a shift: sales still waiting on this device belong to it, so they must reach the shop
// before the drawer is counted.
import { Outbox } from "./outbox.js";

const outbox = new Outbox("", () => "", () => {});
outbox.all().then((records) => {
  const waiting = records.filter((record) => record.state === "waiting").length;
  document.getElementById("shift-waiting").hidden = waiting === 0;
  document.querySelector("#close-shift button[type=submit]").disabled = waiting > 0;
});
