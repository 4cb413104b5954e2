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
 *   <form method="post" data-keep-draft>     its textareas are kept in this browser while
 *                                            typed, and offered back if never saved
 *   .table-responsive and other boxes       take the focus while they scroll (keyboard)
 *   <body data-session-...>                  (base.html, signed in) warns before the
 *                                            session ends; typing in a form keeps it alive
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

  // --- a region that scrolls can be reached by keyboard ------------------------
  // A table wider than its card (a phone), a list in a box of fixed height:
  // while it scrolls it takes the focus (tabindex="0"), so the arrow keys
  // scroll it (WCAG 2.1.1; axe-core's scrollable-region-focusable). Checked
  // again when the window changes size and when htmx swaps content in. A
  // table-responsive region has tabindex="0" in its markup (focusable without
  // script too) and data-scroll-focus: here it leaves the tab order while it
  // fits, like the boxes marked by this code.
  var SCROLLERS = ".table-responsive, .scroll-24rem, .scroll-y-28rem, .wp-leads-table, .gantt-wrap";

  function markScrollers() {
    var all = document.querySelectorAll(SCROLLERS);
    Array.prototype.forEach.call(all, function (el) {
      var scrolls = el.scrollWidth > el.clientWidth || el.scrollHeight > el.clientHeight;
      var ours = el.hasAttribute("data-scroll-focus");
      if (scrolls && !el.hasAttribute("tabindex")) {
        el.setAttribute("tabindex", "0");
        el.setAttribute("data-scroll-focus", "");
      } else if (!scrolls && ours) {
        el.removeAttribute("tabindex");
        el.removeAttribute("data-scroll-focus");
      }
    });
  }

  markScrollers();
  var scrollTimer = null;
  window.addEventListener("resize", function () {
    window.clearTimeout(scrollTimer);
    scrollTimer = window.setTimeout(markScrollers, 150);
  });
  document.addEventListener("htmx:load", markScrollers);
  window.addEventListener("load", markScrollers);

  // Strings come translated from templates/accounts/_session.html.
  function template(id) {
    var t = document.getElementById(id);
    return t ? t.content.firstElementChild.cloneNode(true) : null;
  }
  function format(text, values) {
    return text.replace(/%\((\w+)\)s/g, function (all, name) {
      return name in values ? values[name] : all;
    });
  }
  var body = document.body;
  var store = null;
  try {
    store = window.localStorage;
  } catch (e) {
    store = null; // storage disabled: no drafts, no sharing between tabs
  }

  // --- the session clock: warn before the session ends ----------------------
  // base.html gives, for a signed-in user only, the seconds left (as of the
  // page's render) until the idle deadline and the end of the session's
  // lifetime (accounts.context_processors). Deadlines are kept in this
  // browser's clock; the server's clock never needs to agree with it.
  var keepaliveUrl = body.getAttribute("data-session-keepalive");
  var noteActivity = function () {};
  if (keepaliveUrl) {
    (function () {
      function seconds(name) {
        var value = parseInt(body.getAttribute(name), 10);
        return isNaN(value) ? 0 : value * 1000;
      }
      var SHARED = "sec-session:" + (body.getAttribute("data-user") || "");
      // The server writes the last-seen time of an ordinary request at most
      // once a minute (accounts.middleware.SEEN_RESOLUTION_SECONDS).
      var RESOLUTION = 60 * 1000;
      var now = Date.now();
      var idleDeadline = now + seconds("data-session-idle-left");
      var endDeadline = now + seconds("data-session-ends-in");
      var idleTimeout = seconds("data-session-idle-timeout");
      var idleWarning = seconds("data-session-idle-warning");
      var endWarning = seconds("data-session-end-warning");
      var typingPing = seconds("data-session-typing-ping");
      var lastActivity = now;
      var ended = false;
      var pinging = false;
      var endDismissed = false;
      var idleNotice = null;
      var endNotice = null;
      var endedNotice = null;
      var lastFocus = null;

      var region = document.createElement("div");
      region.className = "session-notices";
      body.appendChild(region);

      function share() {
        if (!store) return;
        try {
          store.setItem(SHARED, JSON.stringify({ idle: idleDeadline, end: endDeadline }));
        } catch (e) {
          /* full: the other tabs keep their own clocks */
        }
      }

      // Another tab of the same user reached the server: the session lives on.
      function adopt(value) {
        if (!value) return;
        try {
          var other = JSON.parse(value);
          if (other.idle > idleDeadline) idleDeadline = other.idle;
          if (other.end > endDeadline) endDeadline = other.end;
        } catch (e) {
          return;
        }
        if (ended && Date.now() < Math.min(idleDeadline, endDeadline)) {
          ended = false;
          if (endedNotice) endedNotice.remove();
          endedNotice = null;
        }
        tick();
      }
      window.addEventListener("storage", function (event) {
        if (event.key === SHARED) adopt(event.newValue);
      });
      // Back to this page from the browser's history: it may have missed
      // what the other tabs said meanwhile.
      window.addEventListener("pageshow", function (event) {
        if (event.persisted && store) adopt(store.getItem(SHARED));
      });

      function csrfToken() {
        // The cookie first: it is renewed when the user signs in again in
        // another tab; the token of this page's render otherwise.
        var match = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
        if (match) return decodeURIComponent(match[1]);
        try {
          return JSON.parse(body.getAttribute("hx-headers") || "{}")["X-CSRFToken"] || "";
        } catch (e) {
          return "";
        }
      }

      function keepAlive() {
        if (pinging || ended) return Promise.resolve(false);
        pinging = true;
        lastActivity = Date.now();
        return fetch(keepaliveUrl, {
          method: "POST",
          credentials: "same-origin",
          redirect: "manual", // an ended session answers with a redirect to the sign-in page
          headers: { "X-CSRFToken": csrfToken() },
        })
          .then(
            function (response) {
              if (response.status !== 204) {
                sessionEnded();
                return false;
              }
              var sent = Date.now();
              var idleLeft = parseInt(response.headers.get("X-Session-Idle-Left"), 10);
              var endsIn = parseInt(response.headers.get("X-Session-Ends-In"), 10);
              idleDeadline = sent + (isNaN(idleLeft) ? idleTimeout : idleLeft * 1000);
              if (!isNaN(endsIn)) endDeadline = sent + endsIn * 1000;
              share();
              return true;
            },
            function () {
              return false; // the network is down: the next keystroke or click tries again
            }
          )
          .then(function (ok) {
            pinging = false;
            tick();
            return ok;
          });
      }

      // Typing in any form is activity: the page tells the server at most
      // every `typingPing`, so someone typing for hours is never signed out.
      noteActivity = function () {
        if (!ended && typingPing > 0 && Date.now() - lastActivity >= typingPing) keepAlive();
      };

      // An htmx request reached the server, which moved the idle clock (to
      // within its resolution).
      document.addEventListener("htmx:afterRequest", function (event) {
        var xhr = event.detail && event.detail.xhr;
        if (!xhr || xhr.status < 200 || xhr.status >= 300 || xhr.getResponseHeader("HX-Redirect")) {
          return;
        }
        var at = Date.now();
        lastActivity = at;
        idleDeadline = Math.max(idleDeadline, Math.min(at + idleTimeout - RESOLUTION, endDeadline));
        share();
        tick();
      });

      function setText(notice, text) {
        var slot = notice.querySelector("[data-slot=text]");
        if (slot.textContent !== text) slot.textContent = text;
      }

      function showIdle(left) {
        if (!idleNotice) {
          idleNotice = template("session-idle-notice");
          if (!idleNotice) return;
          region.appendChild(idleNotice);
        }
        var minutes = Math.max(1, Math.ceil(left / 60000));
        var t = document.getElementById("session-idle-notice");
        var text = minutes === 1 ? t.getAttribute("data-one") : t.getAttribute("data-other");
        setText(idleNotice, format(text, { n: minutes }));
      }

      function hideIdle() {
        if (!idleNotice) return;
        var hadFocus = idleNotice.contains(document.activeElement);
        idleNotice.remove();
        idleNotice = null;
        if (hadFocus && lastFocus && document.contains(lastFocus)) lastFocus.focus();
      }

      function showEnd() {
        if (endNotice || endDismissed) return;
        endNotice = template("session-end-notice");
        if (!endNotice) return;
        var t = document.getElementById("session-end-notice");
        var time = new Date(endDeadline).toLocaleTimeString(document.documentElement.lang || [], {
          hour: "2-digit",
          minute: "2-digit",
        });
        setText(endNotice, format(t.getAttribute("data-text"), { time: time }));
        region.appendChild(endNotice);
      }

      function sessionEnded() {
        if (ended) return;
        ended = true;
        hideIdle();
        if (endNotice) endNotice.remove();
        endNotice = null;
        endedNotice = template("session-ended-notice");
        if (!endedNotice) return;
        var link = endedNotice.querySelector("[data-slot=signin]");
        var next = location.pathname + location.search;
        link.href = link.getAttribute("href") + "?next=" + encodeURIComponent(next);
        region.appendChild(endedNotice);
      }

      function tick() {
        if (ended) return;
        var at = Date.now();
        if (at >= Math.min(idleDeadline, endDeadline)) {
          sessionEnded();
          return;
        }
        // When the lifetime ends first, the idle warning would promise too much.
        if (idleDeadline < endDeadline && idleDeadline - at <= idleWarning) {
          showIdle(idleDeadline - at);
        } else {
          hideIdle();
        }
        if (endDeadline - at <= endWarning) {
          showEnd();
        } else if (endNotice) {
          // A new sign-in in another tab gave a new lifetime.
          endNotice.remove();
          endNotice = null;
        }
      }

      document.addEventListener("click", function (event) {
        var target = event.target.closest ? event.target : null;
        if (!target) return;
        if (target.closest("[data-session-stay]")) {
          keepAlive().then(function (ok) {
            if (ok) hideIdle();
          });
        } else if (target.closest("[data-session-dismiss]") && endNotice) {
          endDismissed = true;
          endNotice.remove();
          endNotice = null;
        }
      });
      document.addEventListener("focusin", function (event) {
        if (!region.contains(event.target)) lastFocus = event.target;
      });

      share();
      tick();
      // A second is plenty; a background tab may run it less often, and
      // every check compares with the clock, not with a count of ticks.
      window.setInterval(tick, 1000);
    })();
  }

  // --- drafts: what is typed in a long-text form survives ----------------------
  // Each textarea of a POST form marked data-keep-draft is kept in
  // localStorage while typed (key: user, page path, form action, field
  // name), so text survives an ended session, a closed tab or a crash. When the page shows
  // the field again with other text (or empty), it offers the draft back;
  // it never overwrites the field by itself.
  //
  // When is a draft dropped? When the user empties the field, or once the
  // server said it saved the form:
  //  - submitting marks the form's drafts "sent" (kept, not yet dropped);
  //  - the next page of the site drops "sent" drafts if it shows a success
  //    message (base.html marks those data-saved; the views of the marked
  //    forms say so after a save);
  //  - on any other page (the sign-in page after an ended session, the same
  //    form back with errors, an error page) a "sent" draft becomes an
  //    ordinary draft again, and is offered when its field shows other text.
  // So an unsaved text is never dropped; at worst an already saved one is
  // offered once more, and "Discard it" removes it. Drafts older than
  // DRAFT_DAYS are dropped on any page.
  var DRAFT_PREFIX = "sec-draft:";
  var DRAFT_DAYS = 14;
  var owner = body.getAttribute("data-user") || "anonymous";

  function draftFields(root) {
    var fields = root.querySelectorAll("form[data-keep-draft] textarea[name]");
    return Array.prototype.filter.call(fields, function (field) {
      return field.form && field.form.method === "post" && !field.readOnly && !field.disabled;
    });
  }
  function isDraftField(field) {
    return (
      field.tagName === "TEXTAREA" &&
      field.name &&
      field.form &&
      field.form.method === "post" &&
      field.form.hasAttribute("data-keep-draft")
    );
  }
  function draftKey(field) {
    // The form's action too: a page may hold one small form per item (the
    // chair's note on each proposal of an agenda), each with a "note".
    var action = field.form.getAttribute("action") || "";
    return DRAFT_PREFIX + owner + ":" + location.pathname + "|" + action + "|" + field.name;
  }
  function readDraft(key) {
    try {
      var draft = JSON.parse(store.getItem(key));
      return draft && typeof draft.text === "string" ? draft : null;
    } catch (e) {
      return null;
    }
  }
  function writeDraft(key, draft) {
    try {
      store.setItem(key, JSON.stringify(draft));
    } catch (e) {
      /* storage full or refused: nothing to do */
    }
  }
  function saveDraft(field) {
    var key = draftKey(field);
    if (field.value.trim() === "") {
      store.removeItem(key); // emptied by the user: nothing to keep
    } else if (field.value !== field.defaultValue || readDraft(key)) {
      // (the text the server sent, untouched, needs no draft)
      writeDraft(key, { text: field.value, at: Date.now(), state: "typing" });
    }
  }

  if (store) {
    var pending = {};
    var saveSoon = function (field) {
      var key = draftKey(field);
      window.clearTimeout(pending[key]);
      pending[key] = window.setTimeout(function () {
        delete pending[key];
        saveDraft(field);
      }, 400);
    };

    document.addEventListener("input", function (event) {
      var field = event.target;
      if (field.form) noteActivity();
      if (isDraftField(field)) saveSoon(field);
    });

    // Runs after the confirmation handler above (which may cancel).
    document.addEventListener("submit", function (event) {
      var form = event.target;
      if (event.defaultPrevented || !form.hasAttribute("data-keep-draft")) return;
      draftFields(form).forEach(function (field) {
        var key = draftKey(field);
        window.clearTimeout(pending[key]);
        delete pending[key];
        saveDraft(field);
        var draft = readDraft(key);
        if (draft) {
          draft.state = "sent";
          writeDraft(key, draft);
        }
      });
    });

    var signingOut = false;
    // Signing out on purpose forgets this user's drafts: on a shared
    // computer they would otherwise outlive the session. (An ended session
    // keeps them: that is the case drafts exist for.)
    document.addEventListener("submit", function (event) {
      if (event.defaultPrevented || !event.target.hasAttribute("data-sign-out")) return;
      signingOut = true; // and the pagehide below saves nothing again
      var mine = DRAFT_PREFIX + owner + ":";
      var keys = [];
      for (var i = 0; i < store.length; i++) {
        var key = store.key(i);
        if (key && key.indexOf(mine) === 0) keys.push(key);
      }
      keys.forEach(function (key) {
        store.removeItem(key);
      });
    });

    // Back to this page from the browser's history after submitting it:
    // whatever became of that submit, the text here is not known saved.
    window.addEventListener("pageshow", function (event) {
      if (!event.persisted) return;
      draftFields(document).forEach(function (field) {
        var draft = readDraft(draftKey(field));
        if (draft && draft.state === "sent") {
          draft.state = "typing";
          writeDraft(draftKey(field), draft);
        }
      });
    });

    // Leaving the page while a save is still waiting: save now.
    window.addEventListener("pagehide", function () {
      Object.keys(pending).forEach(function (key) {
        window.clearTimeout(pending[key]);
      });
      pending = {};
      if (signingOut) return;
      draftFields(document).forEach(function (field) {
        var draft = readDraft(draftKey(field));
        if (!draft || draft.state !== "sent") saveDraft(field);
      });
    });

    // What the previous submit came to, and old drafts.
    var saved = document.querySelector(".messages [data-saved]") !== null;
    var oldest = Date.now() - DRAFT_DAYS * 24 * 3600 * 1000;
    var keys = [];
    for (var i = 0; i < store.length; i++) {
      var key = store.key(i);
      if (key && key.indexOf(DRAFT_PREFIX) === 0) keys.push(key);
    }
    keys.forEach(function (key) {
      var draft = readDraft(key);
      if (!draft || !(draft.at > oldest)) {
        store.removeItem(key);
      } else if (draft.state === "sent") {
        if (saved) {
          store.removeItem(key);
        } else {
          draft.state = "typing";
          writeDraft(key, draft);
        }
      }
    });

    // Offer each draft whose field shows other text.
    var offer = document.getElementById("draft-offer");
    draftFields(document).forEach(function (field) {
      var key = draftKey(field);
      var draft = readDraft(key);
      if (!offer || !draft || draft.text === field.value) return;
      var notice = template("draft-offer");
      var when = new Date(draft.at).toLocaleString(document.documentElement.lang || [], {
        dateStyle: "medium",
        timeStyle: "short",
      });
      notice.querySelector("[data-slot=text]").textContent = format(
        offer.getAttribute("data-text"),
        { when: when }
      );
      notice.querySelector("[data-draft-restore]").addEventListener("click", function () {
        field.value = draft.text;
        notice.remove();
        field.dispatchEvent(new Event("input", { bubbles: true }));
        field.focus();
      });
      notice.querySelector("[data-draft-discard]").addEventListener("click", function () {
        store.removeItem(key);
        notice.remove();
        field.focus();
      });
      field.parentNode.insertBefore(notice, field);
    });
  } else {
    document.addEventListener("input", function (event) {
      if (event.target.form) noteActivity();
    });
  }
})();

// The application form's "already a member?" check: when it is paused for
// this address (429), show its short note instead of dropping it.
document.addEventListener("htmx:beforeSwap", function (event) {
  var target = event.detail.target;
  if (event.detail.xhr.status === 429 && target && target.id === "already-member") {
    event.detail.shouldSwap = true;
    event.detail.isError = false;
  }
});
