// The organization picker: a <select data-picker="URL"> becomes a searchable box (Tom Select,
// vendored). Typing asks the server for matches in the user's scope; each is shown with its
// path. The form still posts the organization's code.
(function () {
  "use strict";
  if (typeof TomSelect === "undefined") return;
  document.querySelectorAll("select[data-picker]").forEach(function (select) {
    const url = select.dataset.picker;
    const params = select.dataset.pickerParams || "";
    new TomSelect(select, {
      valueField: "value",
      labelField: "text",
      searchField: ["text", "value", "path"],
      maxOptions: 20,
      preload: "focus",
      loadThrottle: 200,
      load: function (query, done) {
        const address = url + "?" + params + (params ? "&" : "") + "q=" + encodeURIComponent(query);
        fetch(address, { headers: { "X-Requested-With": "fetch" } })
          .then(function (response) { return response.json(); })
          .then(function (data) { done(data.results); })
          .catch(function () { done(); });
      },
      render: {
        option: function (item, escape) {
          return "<div><div>" + escape(item.text) + " <small class=\"text-muted\">" +
            escape(item.value) + "</small></div><small class=\"text-muted\">" +
            escape(item.path || "") + "</small></div>";
        },
        item: function (item, escape) { return "<div>" + escape(item.text) + "</div>"; },
        no_results: function () {
          return "<div class=\"no-results\">" + (select.dataset.pickerEmpty || "—") + "</div>";
        },
      },
    });
  });
})();
