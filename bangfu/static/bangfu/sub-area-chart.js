/* 工作台: the bar chart of the sub-areas' villages and users, from the page's #chart-data (json_script). */
document.addEventListener("DOMContentLoaded", function () {
  "use strict";
  var source = document.getElementById("chart-data");
  var target = document.getElementById("sub-area-chart");
  if (!source || !target || !window.echarts) return;
  var data = JSON.parse(JSON.parse(source.textContent));
  var chart = window.echarts.init(target);
  chart.setOption({
    tooltip: {trigger: "axis"}, legend: {data: ["村（社区）数", "在岗用户"]},
    grid: {left: 40, right: 20, bottom: 60},
    xAxis: {type: "category", data: data.names, axisLabel: {rotate: 30}},
    yAxis: {type: "value"},
    series: [{name: "村（社区）数", type: "bar", data: data.villages}, {name: "在岗用户", type: "bar", data: data.users}]
  });
  window.addEventListener("resize", function () { chart.resize(); });
});
