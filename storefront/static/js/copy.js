// "Sao chép" buttons: copy a value (account number, amount, transfer content) to the clipboard.
// The buttons are hidden without JavaScript or a clipboard; the values stay selectable.
(function () {
  "use strict";
  function show(root) {
    if (!navigator.clipboard) return;
    root.querySelectorAll("button.copy-button[hidden]").forEach(function (button) {
      button.hidden = false;
    });
  }
  document.addEventListener("click", function (event) {
    var button = event.target.closest("button.copy-button");
    if (!button) return;
    navigator.clipboard.writeText(button.dataset.copy).then(function () {
      var label = button.textContent;
      button.textContent = button.dataset.copied;
      button.classList.add("copied");
      setTimeout(function () {
        button.textContent = label;
        button.classList.remove("copied");
      }, 2000);
    });
  });
  document.addEventListener("DOMContentLoaded", function () { show(document); });
  document.addEventListener("htmx:afterSwap", function () { show(document); });
})();
