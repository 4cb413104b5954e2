/* Ordering the agenda on the meeting page.
 *
 * The accepted items sit in a form (#agenda-order) that htmx posts: the
 * hidden `item` inputs in their order, and `move` when an arrow button was
 * pressed. The arrows work without dragging, from the keyboard and without
 * JavaScript (a plain POST and a redirect). Dragging an item by its handle
 * reorders the list here, then posts the new order the same way. The server
 * answers with the list, renumbered; a refused order (400) is shown too.
 */
(function () {
  "use strict";

  var dragged = null;
  var origin = null; // where the dragged item was, to put it back on Escape
  var before = "";

  function sortable(el) {
    return el && el.closest ? el.closest("[data-agenda-sortable]") : null;
  }

  function itemOf(el) {
    return el && el.closest ? el.closest("li[data-item]") : null;
  }

  function order(list) {
    return Array.prototype.map
      .call(list.querySelectorAll("li[data-item]"), function (li) {
        return li.getAttribute("data-item");
      })
      .join(",");
  }

  document.addEventListener("dragstart", function (event) {
    var li = itemOf(event.target);
    if (!li || !sortable(li)) return;
    dragged = li;
    origin = { parent: li.parentNode, next: li.nextSibling };
    before = order(sortable(li));
    event.dataTransfer.effectAllowed = "move";
    event.dataTransfer.setData("text/plain", li.getAttribute("data-item"));
    li.classList.add("opacity-50");
  });

  document.addEventListener("dragover", function (event) {
    if (!dragged) return;
    var li = itemOf(event.target);
    if (!li || li === dragged || sortable(li) !== sortable(dragged)) return;
    event.preventDefault();
    event.dataTransfer.dropEffect = "move";
    var box = li.getBoundingClientRect();
    var after = event.clientY > box.top + box.height / 2;
    li.parentNode.insertBefore(dragged, after ? li.nextSibling : li);
  });

  document.addEventListener("drop", function (event) {
    if (dragged) event.preventDefault();
  });

  document.addEventListener("dragend", function (event) {
    if (!dragged) return;
    var li = dragged;
    var list = sortable(li);
    dragged = null;
    li.classList.remove("opacity-50");
    if (event.dataTransfer && event.dataTransfer.dropEffect === "none") {
      origin.parent.insertBefore(li, origin.next); // cancelled: as it was
      return;
    }
    if (!list || order(list) === before) return;
    var form = list.closest("form");
    // A button that had the focus would otherwise post its `move` too.
    if (document.activeElement && form.contains(document.activeElement)) {
      document.activeElement.blur();
    }
    form.setAttribute("data-focus", "");
    form.requestSubmit();
  });

  // A refused order comes back as 400 with the list and the reason: show it.
  document.addEventListener("htmx:beforeSwap", function (event) {
    var target = event.detail.target;
    if (event.detail.xhr.status === 400 && target && target.id === "agenda-order") {
      event.detail.shouldSwap = true;
      event.detail.isError = false;
    }
  });

  // Keep the keyboard where it was: on the same item's arrow after the swap.
  document.addEventListener("htmx:afterSettle", function () {
    var form = document.getElementById("agenda-order");
    var focus = form && form.getAttribute("data-focus");
    if (!focus) return;
    var parts = focus.split(":");
    var other = parts[1] === "up" ? "down" : "up";
    var button = form.querySelector('button[value="' + parts[0] + ":" + parts[1] + '"]');
    if (!button || button.disabled) {
      button = form.querySelector('button[value="' + parts[0] + ":" + other + '"]');
    }
    if (button && !button.disabled) button.focus();
  });
})();
