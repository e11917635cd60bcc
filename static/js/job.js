// The job page: follows the job's progress; shows the download when an export is ready, or
// opens what the work made (e.g. a campaign) when it is done.
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
    if (data.status === "done" && data.next) {
      window.location.assign(data.next);  // work done: open what it made
      return;
    }
    if (data.status === "failed" && data.error) {
      const error = document.getElementById("job-error");
      if (error) error.textContent = data.error;
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
