// nelm: small progressive enhancements; every page works without this file.
(function () {
  "use strict";
  // After a rejected form (a case, or a board decision further down the page), move the
  // keyboard focus, and so the view, to the list of problems.
  var problems = document.getElementById("form-problems") ||
    document.getElementById("decision-problems");
  if (problems) {
    problems.setAttribute("tabindex", "-1");
    problems.focus();
  }
  // Open the <details> of a criterion when its option is the target of a link.
  function openTarget() {
    if (!location.hash) { return; }
    var target = document.getElementById(location.hash.slice(1));
    if (target && target.classList.contains("option")) {
      target.querySelectorAll("details").forEach(function (d) { d.open = true; });
    }
  }
  window.addEventListener("hashchange", openTarget);
  openTarget();
})();
