// Keyboard navigation in the queue: j/k move, Enter opens. Everything works without it.
(function () {
  const rows = Array.from(document.querySelectorAll("tr[data-href]"));
  if (!rows.length) return;
  let current = 0;
  function select(i) {
    rows[current].classList.remove("current");
    current = Math.max(0, Math.min(rows.length - 1, i));
    rows[current].classList.add("current");
    rows[current].focus();
  }
  rows.forEach((row, i) => row.addEventListener("click", () => { window.location = row.dataset.href; }));
  document.addEventListener("keydown", (event) => {
    if (event.target.closest("input, textarea, select")) return;
    if (event.key === "j") { select(current + 1); event.preventDefault(); }
    else if (event.key === "k") { select(current - 1); event.preventDefault(); }
    else if (event.key === "Enter" && document.activeElement === rows[current]) { window.location = rows[current].dataset.href; }
  });
  select(0);
})();
// Bring the highlighted evidence into view on an item page.
(function () {
  const mark = document.querySelector("mark.evidence");
  if (mark) mark.scrollIntoView({ block: "center" });
})();
