// Draws the office's charts with Chart.js (served from /static/vendor, installed from npm).
// Each <canvas data-chart-source="ID"> reads its data from <script type="application/json" id="ID">;
// the table under every chart carries the same numbers for screen readers and for printing.
(() => {
  if (typeof Chart === "undefined") return; // without the library the tables are enough
  const palette = ["#b3261e", "#f2c14e", "#1f7a3f", "#5f6368", "#9a5b00", "#234b8c"];
  for (const canvas of document.querySelectorAll("canvas[data-chart-source]")) {
    const source = document.getElementById(canvas.dataset.chartSource);
    if (!source) continue;
    const spec = JSON.parse(source.textContent);
    const many = spec.type === "doughnut";
    const datasets = spec.datasets.map((set, i) => ({
      ...set,
      backgroundColor: many ? palette : palette[i % palette.length],
      borderColor: many ? "#fff" : palette[i % palette.length],
      borderWidth: spec.type === "line" ? 3 : 1,
      tension: 0.2,
    }));
    const axes = spec.type === "doughnut" ? {} : {
      x: { stacked: !!spec.stacked, beginAtZero: true, ticks: { precision: 0 } },
      y: { stacked: !!spec.stacked, beginAtZero: true, ticks: { precision: 0 } },
    };
    new Chart(canvas, {
      type: spec.type,
      data: { labels: spec.labels, datasets },
      options: {
        indexAxis: spec.horizontal ? "y" : "x",
        maintainAspectRatio: false,
        animation: false, // drawn at once: printing and screenshots never catch a half-drawn chart
        scales: axes,
        plugins: { legend: { display: datasets.length > 1 || many, position: many ? "right" : "bottom" } },
      },
    });
  }
  // Charts follow the page into print at the printed width.
  window.addEventListener("beforeprint", () => {
    for (const id in Chart.instances) Chart.instances[id].resize();
  });
})();
