// The export job page: follows the job's progress and shows the download when it is ready.
(function () {
  "use strict";
  const box = document.getElementById("job");
  if (!box) return;
  async function poll() {
    const data = await (await fetch(box.dataset.statusUrl)).json();
    document.getElementById("job-status").textContent = data.label;
    document.getElementById("job-progress").style.width = data.progress + "%";
    if (data.status === "done" || data.status === "failed") {
      if (box.dataset.reloadWhenDone && !box.dataset.finished) {
        window.location.reload();  // an import: the page shows its outcome
        return;
      }
    }
    if (data.status === "done") {
      const download = document.getElementById("job-download");
      if (download) download.classList.remove("d-none");
      return;
    }
    if (data.status !== "failed") setTimeout(poll, 1000);
  }
  poll();
})();
