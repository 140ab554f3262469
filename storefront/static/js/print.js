// A button with data-print prints the page (the receipt's print style sets the paper).
document.addEventListener("click", (event) => {
  if (event.target.closest("[data-print]")) window.print();
});
