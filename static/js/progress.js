/* The progress form (templates/workplans/progress_form.html): as soon as the
 * percent typed is lower than the figure that counts for the quarter chosen
 * (its newest update, or the latest quarter before it), the "why did
 * progress go down?" field appears. The server asks for the reason again in
 * any case: this only saves a round trip.
 *
 * data-counting on the box holds {"YYYY-Q": percent} for the reported quarters.
 */
(function () {
  "use strict";

  var box = document.querySelector("[data-decrease-reason]");
  if (!box) return;
  var form = box.closest("form");
  var counting = {};
  try {
    counting = JSON.parse(box.getAttribute("data-counting") || "{}");
  } catch (error) {
    return;
  }
  var note = box.querySelector("[data-decrease-note]");
  var template = box.getAttribute("data-message") || "";
  var hasError = !!box.querySelector(".invalid-feedback, .is-invalid");

  function field(name) {
    return form.elements[name];
  }

  // The figure that counts for (year, quarter): that quarter's, or the latest before it.
  function before(year, quarter) {
    var best = null;
    var bestIndex = -1;
    var target = year * 4 + quarter - 1;
    Object.keys(counting).forEach(function (key) {
      var parts = key.split("-");
      var index = parseInt(parts[0], 10) * 4 + parseInt(parts[1], 10) - 1;
      if (index <= target && index > bestIndex) {
        bestIndex = index;
        best = { percent: counting[key], period: parts[0] + " Q" + parts[1] };
      }
    });
    return best;
  }

  function check() {
    var percent = parseInt(field("percent_complete").value, 10);
    var year = parseInt(field("year").value, 10);
    var quarter = parseInt(field("quarter").value, 10);
    var figure = isNaN(year) || isNaN(quarter) ? null : before(year, quarter);
    var down = figure !== null && !isNaN(percent) && percent < figure.percent;
    if (down) {
      box.classList.remove("d-none");
      if (!hasError) {
        note.textContent = template
          .replace("{before}", figure.percent + "%")
          .replace("{period}", figure.period)
          .replace("{percent}", percent + "%");
      }
    } else if (!hasError) {
      box.classList.add("d-none");
    }
  }

  ["percent_complete", "year", "quarter"].forEach(function (name) {
    var element = field(name);
    if (element) {
      element.addEventListener("input", check);
      element.addEventListener("change", check);
    }
  });
  check();
})();
