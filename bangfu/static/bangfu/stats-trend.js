/* 统计 and 工作台: the months' trend of an area's figures, from the page's #trend-data (json_script):
   {days: [...], series: [{key, name, shown, data}], partial}. Months never kept are gaps. */
document.addEventListener("DOMContentLoaded", function () {
  "use strict";
  var source = document.getElementById("trend-data");
  var target = document.getElementById("trend-chart");
  if (!source || !target || !window.echarts) return;
  var data = JSON.parse(JSON.parse(source.textContent));
  var selected = {};
  data.series.forEach(function (s) { selected[s.name] = s.shown; });
  var chart = window.echarts.init(target);
  chart.setOption({
    tooltip: {trigger: "axis"},
    legend: {type: "scroll", data: data.series.map(function (s) { return s.name; }), selected: selected},
    grid: {left: 48, right: 16, top: 48, bottom: 32},
    xAxis: {type: "category", data: data.days},
    yAxis: {type: "value", minInterval: 1},
    series: data.series.map(function (s) {
      return {name: s.name, type: "line", data: s.data, connectNulls: false, symbolSize: 6};
    })
  });
  window.addEventListener("resize", function () { chart.resize(); });
});
