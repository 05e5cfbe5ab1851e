// Behaviour shared by every page: table rows that link somewhere, and highlighting the
// evidence an address (#ev-N) or an event link points at on a document page.
"use strict";
document.addEventListener("click", (event) => {
  const row = event.target.closest("tr.rowlink");
  if (!row || event.target.closest("a, button, input, select, summary, form")) return;
  const href = row.dataset.href || "";
  if (href.startsWith("/") && !href.startsWith("//")) window.location.href = href;  // this site's pages only
});

function focusEvent(id) {
  document.querySelectorAll("mark.ev.focus").forEach((m) => m.classList.remove("focus"));
  let first = null;
  document.querySelectorAll("mark.ev").forEach((m) => {
    if (m.dataset.events.split(" ").includes(String(id))) {
      m.classList.add("focus");
      first = first || m;
    }
  });
  if (first) first.scrollIntoView({ block: "center" });
}

function focusFromHash() {
  const match = /^#ev-(\d+)$/.exec(window.location.hash);
  if (match) focusEvent(match[1]);
}

document.addEventListener("DOMContentLoaded", focusFromHash);
window.addEventListener("hashchange", focusFromHash);
