/* Small behaviours of every page, wired by data attributes.
 *
 * The Content-Security-Policy (config/settings.py) allows no inline script:
 * no onclick="", no <script> without src, and no style="" attribute either.
 * So templates say what they want with data attributes and this file, loaded
 * once from base.html, does it, by event delegation (it works for content
 * that htmx swaps in as well):
 *
 *   <form data-confirm="Close this team?">   asks before submitting
 *   <button data-confirm="...">              the same, for one button of a form
 *   <select data-autosubmit>                 submits its form when changed
 *   <input data-select-on-focus>             selects its whole text (a link to copy)
 *   data-width="37" data-left="12.5"         width / left, in percent (a bar, the timeline)
 *
 * Styles set through the CSSOM (element.style.width = ...) are allowed by the
 * policy, unlike a style attribute in the markup.
 */
(function () {
  "use strict";

  // --- confirmations --------------------------------------------------------
  document.addEventListener(
    "submit",
    function (event) {
      var form = event.target;
      var submitter = event.submitter;
      var message =
        (submitter && submitter.getAttribute("data-confirm")) ||
        form.getAttribute("data-confirm");
      if (message && !window.confirm(message)) {
        event.preventDefault();
        event.stopImmediatePropagation();
      }
    },
    true
  );

  // --- a select that submits its form ----------------------------------------
  document.addEventListener("change", function (event) {
    var field = event.target;
    if (field.hasAttribute && field.hasAttribute("data-autosubmit") && field.form) {
      field.form.submit();
    }
  });

  // --- a field whose text is selected on focus (a link to copy) ---------------
  function selectAll(event) {
    var field = event.target;
    if (field.hasAttribute && field.hasAttribute("data-select-on-focus") && field.select) {
      field.select();
    }
  }
  document.addEventListener("focusin", selectAll);
  document.addEventListener("click", selectAll);

  // --- sizes and positions computed on the server ----------------------------
  var NUMBER = /^-?\d+(\.\d+)?$/;

  function applyStyles(root) {
    if (!root || !root.querySelectorAll) return;
    var elements = root.querySelectorAll("[data-width], [data-left]");
    var all = Array.prototype.slice.call(elements);
    if (root.matches && root.matches("[data-width], [data-left]")) all.push(root);
    all.forEach(function (el) {
      var width = el.getAttribute("data-width");
      var left = el.getAttribute("data-left");
      if (width !== null && NUMBER.test(width)) el.style.width = width + "%";
      if (left !== null && NUMBER.test(left)) el.style.left = left + "%";
    });
  }

  applyStyles(document);
  // htmx fires htmx:load on every element it swaps into the page.
  document.addEventListener("htmx:load", function (event) {
    applyStyles(event.target);
  });
})();
