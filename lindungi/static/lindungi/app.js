// Lindungi page behaviour. Loaded as a file: the Content-Security-Policy forbids inline scripts.
(function () {
  "use strict";
  // Forms marked data-confirm ask before submitting (e.g. irreversible actions).
  document.addEventListener("submit", function (event) {
    var form = event.target;
    var question = form.getAttribute && form.getAttribute("data-confirm");
    if (question && !window.confirm(question)) {
      event.preventDefault();
    }
  });
})();
