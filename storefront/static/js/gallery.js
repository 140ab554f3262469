// The product page's pictures: thumbnails move the strip sideways (the page stays where it is),
// and a tap on a picture opens it large in a dialog, where a second tap shows it at full size to
// pan around. Without this script the thumbnails are anchors and a tap opens the large picture.
(function () {
  "use strict";
  var gallery = document.querySelector("[data-gallery]");
  if (!gallery) return;
  var strip = gallery.querySelector(".gallery-main");
  var thumbs = Array.prototype.slice.call(gallery.querySelectorAll(".gallery-thumbs a"));
  var labels = document.documentElement.lang === "vi"
    ? { close: "Đóng", zoom: "Chạm để phóng to hoặc thu nhỏ" }
    : { close: "Close", zoom: "Tap to zoom in or out" };

  function mark(index) {
    thumbs.forEach(function (thumb, i) {
      if (i === index) thumb.setAttribute("aria-current", "true");
      else thumb.removeAttribute("aria-current");
    });
  }

  thumbs.forEach(function (thumb, index) {
    thumb.addEventListener("click", function (event) {
      var target = document.getElementById(thumb.getAttribute("href").slice(1));
      if (!target) return;
      event.preventDefault();
      strip.scrollTo({ left: target.offsetLeft - strip.offsetLeft, behavior: "smooth" });
      mark(index);
    });
  });

  if ("IntersectionObserver" in window && thumbs.length) {
    var items = Array.prototype.slice.call(strip.children);
    var seen = new IntersectionObserver(function (entries) {
      entries.forEach(function (entry) {
        if (entry.isIntersecting) mark(items.indexOf(entry.target));
      });
    }, { root: strip, threshold: 0.6 });
    items.forEach(function (item) { seen.observe(item); });
  }

  if (typeof HTMLDialogElement !== "function") return;  // old browsers: the link opens it
  var dialog = document.createElement("dialog");
  dialog.className = "zoom-dialog";
  var close = document.createElement("button");
  close.type = "button";
  close.className = "zoom-close";
  close.textContent = "×";
  close.setAttribute("aria-label", labels.close);
  var frame = document.createElement("div");
  frame.className = "zoom-frame";
  var big = document.createElement("img");
  big.alt = "";
  big.title = labels.zoom;
  frame.appendChild(big);
  dialog.appendChild(close);
  dialog.appendChild(frame);
  document.body.appendChild(dialog);

  close.addEventListener("click", function () { dialog.close(); });
  big.addEventListener("click", function () { frame.classList.toggle("zoomed"); });
  dialog.addEventListener("click", function (event) {
    if (event.target === dialog) dialog.close();  // a tap outside the picture
  });
  dialog.addEventListener("close", function () { frame.classList.remove("zoomed"); });

  gallery.querySelectorAll("[data-zoom]").forEach(function (link) {
    link.addEventListener("click", function (event) {
      event.preventDefault();
      var shown = link.querySelector("img");
      big.src = link.getAttribute("data-zoom");
      big.alt = shown ? shown.alt : "";
      dialog.showModal();
    });
  });
})();
