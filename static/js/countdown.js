/* The countdowns of the decisions pages (decisions/templatetags): the server
 * writes "Closes in 2 days 4 hours."; this ticks it every half minute, in the
 * page's language (Intl), from the deadline in data-countdown.
 * data-before holds the sentence with {} where the time goes; data-after the
 * sentence once the deadline has passed.
 */
(function () {
  "use strict";

  var spans = document.querySelectorAll("[data-countdown]");
  if (!spans.length || !window.Intl || !Intl.NumberFormat) return;
  var lang = document.documentElement.lang || undefined;

  function unit(n, name) {
    try {
      return new Intl.NumberFormat(lang, { style: "unit", unit: name, unitDisplay: "long" }).format(n);
    } catch (error) {
      return n + " " + name;
    }
  }

  function left(ms) {
    var minutes = Math.ceil(ms / 60000);
    var days = Math.floor(minutes / 1440);
    var hours = Math.floor((minutes % 1440) / 60);
    var mins = minutes % 60;
    if (days) return unit(days, "day") + (hours ? " " + unit(hours, "hour") : "");
    if (hours) return unit(hours, "hour") + (mins ? " " + unit(mins, "minute") : "");
    return unit(mins, "minute");
  }

  function tick() {
    var now = Date.now();
    spans.forEach(function (span) {
      var deadline = Date.parse(span.getAttribute("data-countdown"));
      if (isNaN(deadline)) return;
      var ms = deadline - now;
      span.textContent =
        ms > 0
          ? (span.getAttribute("data-before") || "{}").replace("{}", left(ms))
          : span.getAttribute("data-after") || "";
    });
  }

  window.setInterval(tick, 30000);
})();
