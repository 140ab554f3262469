// The suggestion box under the search field (htmx fills it; the search works without this).
// Escape or a tap elsewhere closes it; the arrow keys move from the field into its links.
(() => {
  const box = () => document.getElementById("search-suggestions");
  const close = () => { const b = box(); if (b) b.replaceChildren(); };

  document.addEventListener("keydown", (event) => {
    const b = box();
    if (!b) return;
    if (event.key === "Escape") { close(); return; }
    if (event.key !== "ArrowDown" && event.key !== "ArrowUp") return;
    const links = [...b.querySelectorAll("a")];
    if (!links.length || !(event.target.id === "site-search" || b.contains(event.target))) return;
    event.preventDefault();
    const at = links.indexOf(document.activeElement);
    const next = event.key === "ArrowDown" ? at + 1 : at - 1;
    if (next < 0) document.getElementById("site-search").focus();
    else links[Math.min(next, links.length - 1)].focus();
  });

  document.addEventListener("click", (event) => {
    if (!event.target.closest(".search-field")) close();
  });
})();
