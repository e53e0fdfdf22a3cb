// Project gallery: narrow the cards by keyword and by free-text search, in the browser.
// Each card carries data-keywords (space-separated) and data-search (lower-case text).
(function () {
  "use strict";

  function setUp(gallery) {
    var search = gallery.querySelector(".scimlkit-gallery-search");
    var keyword = gallery.querySelector(".scimlkit-gallery-keyword");
    var count = gallery.querySelector(".scimlkit-gallery-count");
    var cards = Array.prototype.slice.call(gallery.querySelectorAll(".scimlkit-card"));

    function update() {
      var words = search.value.toLowerCase().split(/\s+/).filter(Boolean);
      var wanted = keyword.value;
      var shown = 0;
      cards.forEach(function (card) {
        var keywords = (card.getAttribute("data-keywords") || "").split(" ");
        var text = card.getAttribute("data-search") || "";
        var visible =
          (!wanted || keywords.indexOf(wanted) !== -1) &&
          words.every(function (word) { return text.indexOf(word) !== -1; });
        card.hidden = !visible;
        if (visible) { shown += 1; }
      });
      count.textContent = shown + " of " + cards.length + " projects shown";
    }

    search.addEventListener("input", update);
    keyword.addEventListener("change", update);
    gallery.querySelector(".scimlkit-gallery-controls").hidden = false;
    update();
  }

  function start() {
    document.querySelectorAll(".scimlkit-gallery").forEach(setUp);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
