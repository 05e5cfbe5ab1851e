// The alignment page's heatmap: one cell per pair of actors, darker where they agreed more.
// Pairs come from the page's JSON block; each pair names two actors and an agreement in [0, 1].
"use strict";
document.addEventListener("DOMContentLoaded", () => {
  const holder = document.getElementById("heatmap");
  const detail = document.getElementById("heatmap-detail");
  const raw = JSON.parse(document.getElementById("alignment-data").textContent);
  const pick = (o, names) => names.map((n) => o[n]).find((v) => v !== undefined);
  const pairs = raw.map((p) => Array.isArray(p)
    ? { a: p[0], b: p[1], score: p[2], shared: p[3] }
    : { a: pick(p, ["a", "actor_a", "left", "first"]), b: pick(p, ["b", "actor_b", "right", "second"]),
        score: pick(p, ["agreement", "score", "similarity", "alignment"]), shared: pick(p, ["shared", "n", "common"]) })
    .filter((p) => p.a && p.b && p.score !== undefined);
  if (!pairs.length) { holder.textContent = "Not enough shared stances to compare actors yet."; return; }
  const actors = Array.from(new Set(pairs.flatMap((p) => [p.a, p.b]))).sort().slice(0, 60);
  const cell = Math.max(10, Math.min(28, Math.floor(((holder.clientWidth || 800) - 70) / actors.length)));
  const size = 60 + cell * actors.length;
  const color = d3.scaleSequential(d3.interpolateRdYlGn).domain([0, 1]);
  const svg = d3.select(holder).append("svg").attr("width", size).attr("height", size);
  const x = d3.scaleBand().domain(actors).range([60, size]);
  svg.append("g").selectAll("text.col").data(actors).join("text").attr("class", "col")
    .attr("transform", (d) => `translate(${x(d) + cell / 2},55) rotate(-60)`).text((d) => d);
  svg.append("g").selectAll("text.row").data(actors).join("text").attr("class", "row")
    .attr("x", 55).attr("y", (d) => x(d) + cell * 0.7).attr("text-anchor", "end").text((d) => d);
  const cells = pairs.flatMap((p) => [p, { ...p, a: p.b, b: p.a }]).filter((p) => actors.includes(p.a) && actors.includes(p.b));
  svg.append("g").selectAll("rect").data(cells).join("rect").attr("class", "cell")
    .attr("x", (d) => x(d.a)).attr("y", (d) => x(d.b)).attr("width", cell).attr("height", cell)
    .attr("fill", (d) => color(d.score))
    .on("mouseover click", (event, d) => {
      detail.textContent = `${d.a} – ${d.b}: agreement ${(d.score * 100).toFixed(0)}%` + (d.shared !== undefined ? ` over ${d.shared} shared` : "");
    })
    .append("title").text((d) => `${d.a} – ${d.b}: ${(d.score * 100).toFixed(0)}%`);
});
