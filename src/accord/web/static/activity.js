// The overview's bar chart of events per month, drawn with d3 from the page's JSON block.
"use strict";
document.addEventListener("DOMContentLoaded", () => {
  const holder = document.getElementById("activity-chart");
  const counted = JSON.parse(document.getElementById("activity-data").textContent);
  if (!counted.length) { holder.textContent = "No dated events yet."; return; }
  // every month between the first and the last, so quiet months show as gaps, not vanish
  const byMonth = new Map(counted.map((d) => [d.month, d.events]));
  const data = [];
  let [year, mon] = counted[0].month.split("-").map(Number);
  const last = counted[counted.length - 1].month;
  for (let guard = 0; guard < 1200; guard++) {
    const month = `${String(year).padStart(4, "0")}-${String(mon).padStart(2, "0")}`;
    data.push({ month, events: byMonth.get(month) || 0 });
    if (month >= last) break;
    mon += 1; if (mon > 12) { mon = 1; year += 1; }
  }
  const width = holder.clientWidth || 900, height = 220, m = { top: 10, right: 10, bottom: 40, left: 45 };
  const svg = d3.select(holder).append("svg").attr("viewBox", [0, 0, width, height]).attr("width", width).attr("height", height);
  const x = d3.scaleBand().domain(data.map((d) => d.month)).range([m.left, width - m.right]).padding(0.15);
  const y = d3.scaleLinear().domain([0, d3.max(data, (d) => d.events)]).nice().range([height - m.bottom, m.top]);
  const every = Math.max(1, Math.ceil(data.length / 16));
  svg.append("g").attr("transform", `translate(0,${height - m.bottom})`)
    .call(d3.axisBottom(x).tickValues(x.domain().filter((_, i) => i % every === 0)))
    .selectAll("text").attr("transform", "rotate(-40)").attr("text-anchor", "end");
  svg.append("g").attr("transform", `translate(${m.left},0)`).call(d3.axisLeft(y).ticks(5));
  svg.append("g").selectAll("rect").data(data).join("rect").attr("class", "bar")
    .attr("x", (d) => x(d.month)).attr("width", x.bandwidth())
    .attr("y", (d) => y(d.events)).attr("height", (d) => y(0) - y(d.events))
    .append("title").text((d) => `${d.month}: ${d.events} events`);
});
