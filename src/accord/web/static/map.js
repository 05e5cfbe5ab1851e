// The target page's world map: Natural Earth country shapes (world-atlas, served locally)
// coloured by each country's stance. The server maps the shapes' ISO numeric ids to the
// alpha-3 codes the store uses. Clicking a country shows its stance beside the map.
"use strict";
document.addEventListener("DOMContentLoaded", async () => {
  const holder = document.getElementById("map");
  const detail = document.getElementById("map-detail");
  const data = JSON.parse(document.getElementById("map-data").textContent);
  const response = await fetch("/static/vendor/countries-110m.json");
  if (!response.ok) { holder.textContent = "Map shapes are not installed (run scripts/setup-web)."; return; }
  const world = await response.json();
  const shapes = topojson.feature(world, world.objects.countries).features;
  const width = holder.clientWidth || 900, height = Math.round(width * 0.5);
  const projection = d3.geoNaturalEarth1().fitSize([width, height], { type: "Sphere" });
  const path = d3.geoPath(projection);
  const svg = d3.select(holder).append("svg").attr("viewBox", [0, 0, width, height]).attr("width", width).attr("height", height);
  const codeOf = (f) => data.ids[f.id] || null;
  svg.append("g").selectAll("path").data(shapes).join("path")
    .attr("d", path)
    .attr("class", (f) => {
      const s = data.stances[codeOf(f)];
      return "country" + (s ? " " + s.stance : "");
    })
    .attr("data-code", (f) => codeOf(f) || "")
    .on("click", (event, f) => {
      svg.selectAll("path.selected").classed("selected", false);
      d3.select(event.currentTarget).classed("selected", true);
      show(codeOf(f), f.properties.name);
    })
    .append("title").text((f) => f.properties.name);

  function show(code, shapeName) {
    detail.replaceChildren();
    const h = document.createElement("h3");
    const s = code ? data.stances[code] : null;
    h.textContent = (s && s.name) || shapeName;
    detail.append(h);
    const p = document.createElement("p");
    p.className = "stance-line";
    p.textContent = s ? `Stance: ${s.stance}${s.word && s.word !== s.stance ? " (" + s.word + ")" : ""}`
      + ` · on record: ${s.actions.join(", ")}` : "No record for this target.";
    detail.append(p);
    if (code) {
      const a = document.createElement("a");
      a.href = `/countries/${encodeURIComponent(code)}`;
      a.textContent = "Everything about this country →";
      detail.append(a);
    }
  }
});
