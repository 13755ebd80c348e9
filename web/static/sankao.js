// What the pages do in the browser, from this file alone (the Content-Security-Policy runs no inline script):
// a month chosen in a list shows it; the print button of a letter prints it.
document.addEventListener("change", function (event) {
  if (event.target.matches("[data-submit-on-change]") && event.target.form) { event.target.form.submit(); }
});
document.addEventListener("click", function (event) {
  if (event.target.closest("[data-print]")) { window.print(); }
});
