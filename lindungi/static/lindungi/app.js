// Lindungi page behaviour. Loaded as a file: the Content-Security-Policy forbids inline scripts.
(function () {
  "use strict";
  // Forms marked data-confirm ask before submitting (e.g. irreversible actions).
  document.addEventListener("submit", function (event) {
    var form = event.target;
    var question = form.getAttribute && form.getAttribute("data-confirm");
    if (question && !window.confirm(question)) {
      event.preventDefault();
    }
  });
  // A map of the child regions: boundaries (GeoJSON, uploaded by an admin) fetched from
  // data-map-url, coloured by the counts in the JSON data (name = region code).
  function drawMap(element, chart, data) {
    fetch(element.getAttribute("data-map-url"), { credentials: "same-origin" })
      .then(function (response) {
        return response.json();
      })
      .then(function (geo) {
        window.echarts.registerMap(data.key, geo);
        var values = data.series.map(function (s) {
          return s.value;
        });
        chart.setOption({
          tooltip: { trigger: "item" },
          visualMap: { min: 0, max: Math.max.apply(null, values.concat([1])), calculable: true },
          series: [{ type: "map", map: data.key, nameProperty: data.property, data: data.series }],
        });
        element.setAttribute("data-chart-ready", "1");
      });
  }
  // Charts: <div data-chart="bar" data-chart-data="ID"> with the figures in a JSON script
  // element (json_script) — every chart has its table beside it on the page.
  document.addEventListener("DOMContentLoaded", function () {
    if (!window.echarts) {
      return;
    }
    document.querySelectorAll("[data-chart]").forEach(function (element) {
      var source = document.getElementById(element.getAttribute("data-chart-data"));
      if (!source) {
        return;
      }
      var data = JSON.parse(source.textContent);
      var chart = window.echarts.init(element);
      if (element.getAttribute("data-chart") === "map") {
        drawMap(element, chart, data);
        return;
      }
      chart.setOption({
        tooltip: { trigger: "axis" },
        legend: { top: 0 },
        grid: { left: 8, right: 8, bottom: 8, top: 32, containLabel: true },
        xAxis: { type: "category", data: data.categories },
        yAxis: { type: "value" },
        series: data.series.map(function (s) {
          return { name: s.name, type: element.getAttribute("data-chart"), data: s.data };
        }),
      });
      window.addEventListener("resize", function () {
        chart.resize();
      });
      element.setAttribute("data-chart-ready", "1");
    });
  });
})();
