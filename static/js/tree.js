// Expands a tree row by fetching its children's rows and inserting them below it.
(function () {
  "use strict";
  function descendantsOf(row) {
    const level = Number(row.dataset.level);
    const rows = [];
    let next = row.nextElementSibling;
    while (next && Number(next.dataset.level) > level) {
      rows.push(next);
      next = next.nextElementSibling;
    }
    return rows;
  }
  document.addEventListener("click", async function (event) {
    const button = event.target.closest(".tree-toggle[data-url]");
    if (!button) return;
    const row = button.closest("tr");
    if (button.getAttribute("aria-expanded") === "true") {
      descendantsOf(row).forEach((r) => r.remove());
      button.setAttribute("aria-expanded", "false");
      button.textContent = "▸";
      return;
    }
    button.disabled = true;
    try {
      const response = await fetch(button.dataset.url, { headers: { "X-Requested-With": "fetch" } });
      if (!response.ok) throw new Error(response.status);
      row.insertAdjacentHTML("afterend", await response.text());
      button.setAttribute("aria-expanded", "true");
      button.textContent = "▾";
    } finally {
      button.disabled = false;
    }
  });
})();
