// The share button: the phone's own share sheet (Web Share API) where there is one, else copy
// the link (for Zalo: paste it into a chat); the Facebook link works without JavaScript.
(function () {
  "use strict";
  function copy(url) {
    if (navigator.clipboard && window.isSecureContext) {
      return navigator.clipboard.writeText(url);
    }
    var field = document.createElement("textarea");
    field.value = url;
    field.setAttribute("readonly", "");
    field.className = "visually-hidden";
    document.body.appendChild(field);
    field.select();
    var done = document.execCommand("copy");
    document.body.removeChild(field);
    return done ? Promise.resolve() : Promise.reject(new Error("copy refused"));
  }
  function setUp(box) {
    var url = box.dataset.shareUrl;
    var title = box.dataset.shareTitle;
    var status = box.querySelector(".share-status");
    var native = box.querySelector(".share-native");
    function say(key) { status.textContent = status.dataset[key] || ""; }
    function copyAndSay(key) {
      copy(url).then(function () { say(key); }, function () { window.prompt("", url); });
    }
    if (navigator.share) {
      native.hidden = false;
      native.addEventListener("click", function () {
        navigator.share({ title: title, url: url }).catch(function () {});
      });
    }
    var copyButton = box.querySelector(".share-copy");
    copyButton.hidden = false;
    copyButton.addEventListener("click", function () { copyAndSay("copied"); });
    var zalo = box.querySelector(".share-zalo");
    zalo.hidden = false;
    zalo.addEventListener("click", function () { copyAndSay("copiedZalo"); });
  }
  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll(".share[data-share-url]").forEach(setUp);
  });
})();
