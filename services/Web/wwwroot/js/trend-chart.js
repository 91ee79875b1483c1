// Enhancement only: draws a line chart over a table marked data-chart-for, from the table's own cells (data-value),
// so the chart and the table always show the same figures. Without this script (or Chart.js) the table alone is the
// page. No inline script: the content security policy allows scripts from this service only.
(function () {
  'use strict';
  if (typeof window.Chart !== 'function') { return; }
  // GOV.UK Design System colours, each line also told apart by its point style (not by colour alone).
  var colours = ['#1d70b8', '#00703c', '#f47738', '#d4351c', '#4c2c92'];
  var points = ['circle', 'rect', 'triangle', 'rectRot', 'star'];
  document.querySelectorAll('[data-chart-for]').forEach(function (box) {
    var table = document.getElementById(box.getAttribute('data-chart-for'));
    var canvas = box.querySelector('canvas');
    if (!table || !canvas) { return; }
    var headers = Array.prototype.slice.call(table.tHead.rows[0].cells);
    var series = headers.filter(function (h) { return h.hasAttribute('data-series'); }).map(function (h) {
      return { name: h.textContent.trim(), column: headers.indexOf(h) };
    });
    var rows = Array.prototype.slice.call(table.tBodies[0].rows);
    var labels = rows.map(function (row) { return row.cells[0].textContent.trim(); });
    var datasets = series.map(function (s, i) {
      return {
        label: s.name,
        data: rows.map(function (row) {
          var value = row.cells[s.column].getAttribute('data-value');
          return value === '' || value === null ? null : Number(value);
        }),
        borderColor: colours[i % colours.length],
        backgroundColor: colours[i % colours.length],
        pointStyle: points[i % points.length],
        pointRadius: 4,
        spanGaps: true
      };
    });
    box.hidden = false;
    // eslint-disable-next-line no-new
    new window.Chart(canvas, {
      type: 'line',
      data: { labels: labels, datasets: datasets },
      options: {
        animation: false,
        maintainAspectRatio: false,
        scales: { y: { min: 0, max: 100, title: { display: true, text: 'Per cent' } } },
        plugins: { legend: { position: 'bottom', labels: { usePointStyle: true } } }
      }
    });
  });
})();
