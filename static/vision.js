/* The low-vision version: larger text, high contrast, pictures optional.
   Loaded in the head, before the page is drawn, so a page opens in the mode the reader
   chose (remembered in localStorage, key "ushtil_vision": "on", or "on noimg").
   The buttons are hidden in the HTML and shown by this script: without JavaScript
   nothing is hidden, and readers who ask their system for more contrast
   (prefers-contrast: more) get the high-contrast colours from site.css anyway. */
(function () {
  "use strict";
  var KEY = "ushtil_vision";
  var root = document.documentElement;

  function load() {
    try {
      return (window.localStorage.getItem(KEY) || "").split(" ");
    } catch (e) {
      return [];
    }
  }

  function save(flags) {
    try {
      if (flags.length) window.localStorage.setItem(KEY, flags.join(" "));
      else window.localStorage.removeItem(KEY);
    } catch (e) {
      /* storage refused (private mode): the mode lasts for this page only */
    }
  }

  function apply(flags) {
    var on = flags.indexOf("on") >= 0;
    root.classList.toggle("vision", on);
    root.classList.toggle("vision-noimg", on && flags.indexOf("noimg") >= 0);
  }

  var current = load().filter(function (f) { return f; });
  apply(current);

  function sync() {
    var on = root.classList.contains("vision");
    var buttons = document.querySelectorAll("button[data-vision]");
    for (var i = 0; i < buttons.length; i++) {
      var button = buttons[i];
      var images = button.getAttribute("data-vision") === "images";
      button.hidden = images && !on;
      button.setAttribute(
        "aria-pressed",
        String(images ? root.classList.contains("vision-noimg") : on)
      );
    }
  }

  function wire() {
    document.addEventListener("click", function (event) {
      var button = event.target.closest ? event.target.closest("button[data-vision]") : null;
      if (!button) return;
      var on = current.indexOf("on") >= 0;
      if (button.getAttribute("data-vision") === "mode") {
        current = on ? [] : ["on"];
      } else if (current.indexOf("noimg") >= 0) {
        current = ["on"];
      } else {
        current = ["on", "noimg"];
      }
      save(current);
      apply(current);
      sync();
    });
    sync();
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", wire);
  } else {
    wire();
  }
})();
