// The registration form shows the State field to a State's delegate and the organisation field to
// anyone else. Without this script both stay shown, with the capacity's note saying which to fill
// in; with it, the other one is hidden and disabled, so that it is not sent either.
(function () {
  "use strict";

  function setUp(form) {
    var capacity = form.querySelector("[name=capacity]");
    if (!capacity) {
      return;
    }
    var stateCapacities = form.getAttribute("data-state-capacities").split(" ");

    function show(name, visible) {
      var box = form.querySelector('[data-field="' + name + '"]');
      if (!box) {
        return;
      }
      box.hidden = !visible;
      box.querySelectorAll("input, select, textarea").forEach(function (control) {
        control.disabled = !visible;
      });
    }

    function update() {
      // No capacity chosen yet: both, as without the script.
      var chosen = capacity.value;
      var isState = stateCapacities.indexOf(chosen) !== -1;
      show("country", !chosen || isState);
      show("organisation", !chosen || !isState);
    }

    capacity.addEventListener("change", update);
    update();
  }

  function start() {
    document.querySelectorAll("form[data-state-capacities]").forEach(setUp);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
