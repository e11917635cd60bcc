// Behaviour shared by every page, kept out of the markup so that the Content-Security-Policy
// can forbid inline script and style attributes.
(function () {
  "use strict";
  // <select data-autosubmit> submits its form when changed.
  document.querySelectorAll("[data-autosubmit]").forEach(function (select) {
    select.addEventListener("change", function () { select.form.submit(); });
  });
  // Progress bars carry their width as data-progress (percent).
  document.querySelectorAll("[data-progress]").forEach(function (bar) {
    bar.style.width = (Number(bar.dataset.progress) || 0) + "%";
  });
  // <button data-print> prints the page (the print stylesheet keeps the content only).
  document.querySelectorAll("[data-print]").forEach(function (button) {
    button.addEventListener("click", function () { window.print(); });
  });
})();
