/* Remembers the reader's language and, on the root page, goes to it.
   Clicking any language link stores the choice (cookie, Path=/, one year).
   On "/": the stored choice first, then navigator.languages, then the site default.
   Without JavaScript the root page is a plain list of links. */
(function () {
  "use strict";
  var COOKIE = "ushtil_lang";
  var YEAR = 365 * 24 * 60 * 60;

  function stored() {
    var m = document.cookie.match(/(?:^|;\s*)ushtil_lang=([a-z]{2,3})(?:;|$)/);
    return m ? m[1] : null;
  }

  function remember(code) {
    document.cookie = COOKIE + "=" + code + "; Path=/; Max-Age=" + YEAR + "; SameSite=Lax";
  }

  document.addEventListener("click", function (event) {
    var link = event.target.closest ? event.target.closest("a[hreflang]") : null;
    if (link && (link.closest(".switcher") || link.closest(".languages"))) {
      remember(link.getAttribute("hreflang"));
    }
  });

  function chooseOnRoot() {
    var root = document.body;
    if (!root || !root.classList.contains("chooser")) return;
    var available = (root.getAttribute("data-languages") || "").split(" ");
    var choice = stored();
    if (available.indexOf(choice) < 0) {
      choice = null;
      var wanted = navigator.languages || [navigator.language || ""];
      for (var i = 0; i < wanted.length && !choice; i++) {
        var code = String(wanted[i]).toLowerCase().split("-")[0];
        if (available.indexOf(code) >= 0) choice = code;
      }
    }
    choice = choice || root.getAttribute("data-default");
    var link = root.querySelector('a[hreflang="' + choice + '"]');
    if (link) window.location.replace(link.href);
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", chooseOnRoot);
  } else {
    chooseOnRoot();
  }
})();
