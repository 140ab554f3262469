// − / + buttons beside number inputs (the inputs work without this script).
document.addEventListener("click", (event) => {
  const button = event.target.closest("button.step");
  if (!button) return;
  const input = document.getElementById(button.dataset.target);
  const min = input.min === "" ? -Infinity : Number(input.min);
  const next = (Number(input.value) || 0) + Number(button.dataset.step);
  input.value = Math.max(min, next);
  input.dispatchEvent(new Event("change", { bubbles: true }));
});
