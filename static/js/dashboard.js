// Dashboard: draw the composition charts from the page's JSON, and follow a recompute
// run without reloading until it is done (then show the fresh figures).
(function () {
  "use strict";
  const palette = ["#c8102e", "#f2a900", "#3a6ea5", "#6a994e", "#9d4edd", "#e76f51", "#2a9d8f", "#8d99ae"];

  function drawCharts() {
    const source = document.getElementById("chart-data");
    if (!source || typeof Chart === "undefined") return;
    const data = JSON.parse(source.textContent);
    document.querySelectorAll("canvas[data-chart]").forEach(function (canvas) {
      const chart = data[canvas.dataset.chart];
      const round = canvas.dataset.kind === "doughnut";
      new Chart(canvas, {
        type: canvas.dataset.kind,
        data: {
          labels: chart.labels,
          datasets: [{ data: chart.counts, backgroundColor: round ? palette : palette[0] }],
        },
        options: {
          maintainAspectRatio: false,
          animation: false,
          plugins: { legend: { display: round, position: "right" } },
        },
      });
    });
  }

  function follow(form, statusUrl) {
    const bar = document.getElementById("run-progress");
    const text = document.getElementById("run-status");
    bar.parentElement.classList.remove("d-none");
    async function poll() {
      const run = await (await fetch(statusUrl, { headers: { Accept: "application/json" } })).json();
      bar.style.width = run.progress + "%";
      text.textContent = run.label + " " + run.progress + "% (" + run.parts + ")";
      if (run.status === "done") {
        text.textContent = form.dataset.labelDone;
        const url = new URL(window.location.href);
        url.searchParams.set("as_of", run.as_of);
        window.location.assign(url.toString());
      } else if (run.status === "failed") {
        text.textContent = form.dataset.labelFailed + " " + run.error;
      } else {
        setTimeout(poll, 700);
      }
    }
    poll();
  }

  function wireRecompute() {
    const form = document.getElementById("recompute");
    if (!form) return;
    if (form.dataset.runningUrl) follow(form, form.dataset.runningUrl);
    form.addEventListener("submit", async function (event) {
      event.preventDefault();
      form.querySelector("button").disabled = true;
      const response = await fetch(form.action, {
        method: "POST",
        body: new FormData(form),
        headers: { Accept: "application/json" },
      });
      if (!response.ok) { form.submit(); return; }
      follow(form, (await response.json()).status_url);
    });
  }

  drawCharts();
  wireRecompute();
})();
