// Row filter for the tables of a review page: no dependencies, no network.
(function () {
  "use strict";
  var inputs = document.querySelectorAll("input.filter[data-table]");
  Array.prototype.forEach.call(inputs, function (input) {
    var table = document.getElementById(input.getAttribute("data-table"));
    if (!table) { return; }
    input.addEventListener("input", function () {
      var q = input.value.toLowerCase();
      Array.prototype.forEach.call(table.tBodies[0].rows, function (tr) {
        tr.style.display = tr.textContent.toLowerCase().indexOf(q) === -1 ? "none" : "";
      });
    });
  });
}());
// Ring picture: click (or Enter on) a dot to name it and jump to its row in the members table.
(function () {
  "use strict";
  var out = document.getElementById("pic-pick");
  var dots = document.querySelectorAll("svg.ring-pic circle[data-account]");
  function pick(dot) {
    var id = dot.getAttribute("data-account");
    Array.prototype.forEach.call(document.querySelectorAll(".picked"), function (el) {
      el.classList.remove("picked");
    });
    dot.classList.add("picked");
    var row = document.getElementById("m-" + id);
    if (out) {
      out.textContent = "selected: " + id + (row ? "" : " (not among the rows shown; see the members CSV)");
    }
    if (row) { row.classList.add("picked"); row.scrollIntoView({block: "nearest"}); }
  }
  Array.prototype.forEach.call(dots, function (dot) {
    dot.addEventListener("click", function () { pick(dot); });
    dot.addEventListener("keydown", function (e) { if (e.key === "Enter") { pick(dot); } });
  });
}());
