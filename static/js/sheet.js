// Grids by keyboard (the appraisal sheet, a meeting's attendance): in a choice column keys
// pick the value (grade: 1–4 or 优/合/基/不; attendance: 1–3 or 出/请/缺); ↑ ↓ and Enter move
// to the same column of the row above or below (Enter never submits the form); Ctrl+S (⌘S)
// saves through the form's save button.
(function () {
  "use strict";
  var grid = document.getElementById("grid");
  var form = document.getElementById("grid-form");
  if (!grid || !form) { return; }
  var KEYS = {
    grade: {
      "1": "excellent", "优": "excellent",
      "2": "qualified", "合": "qualified",
      "3": "basic", "基": "basic",
      "4": "unqualified", "不": "unqualified"
    },
    state: {
      "1": "present", "出": "present", "到": "present",
      "2": "leave", "请": "leave",
      "3": "absent", "缺": "absent"
    }
  };

  function rows() { return Array.prototype.slice.call(grid.tBodies[0].rows); }

  function column(field) {
    // The field's name without the row prefix: e12-grade -> grade.
    return field.name.replace(/^[a-z]\d+-/, "");
  }

  function move(field, step) {
    var all = rows();
    var index = all.indexOf(field.closest("tr")) + step;
    if (index < 0 || index >= all.length) { return; }
    var target = all[index].querySelector('[name$="-' + column(field) + '"]');
    if (target && !target.disabled) {
      target.focus();
      if (target.select && target.type !== "checkbox") { target.select(); }
    }
  }

  function pick(select, key) {
    var value = (KEYS[column(select)] || {})[key];
    if (!value) { return false; }
    select.value = value;
    select.dispatchEvent(new Event("change", { bubbles: true }));
    return true;
  }

  grid.addEventListener("keydown", function (event) {
    var field = event.target;
    if (!field.name || event.altKey || event.ctrlKey || event.metaKey) { return; }
    if (field.tagName === "SELECT" && pick(field, event.key)) {
      event.preventDefault();
    } else if (event.key === "ArrowDown" || event.key === "ArrowUp") {
      event.preventDefault();
      move(field, event.key === "ArrowDown" ? 1 : -1);
    } else if (event.key === "Enter") {
      event.preventDefault();
      move(field, event.shiftKey ? -1 : 1);
    }
  });

  document.addEventListener("keydown", function (event) {
    if ((event.ctrlKey || event.metaKey) && (event.key === "s" || event.key === "S")) {
      var save = form.querySelector('[name="save"]');
      if (save) {
        event.preventDefault();
        form.requestSubmit(save);
      }
    }
  });

  // Said on the grid once the keys work (the browser tests wait for it before typing).
  grid.setAttribute("data-keyboard", "ready");
})();
