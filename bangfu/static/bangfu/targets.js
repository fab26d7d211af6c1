/* 目标 and 调度: bar charts of figures against targets (each .target-chart reads the json_script named by its
   data-source), and the split form's live sum: the typed parts added up against the parent's target. */
document.addEventListener("DOMContentLoaded", function () {
  "use strict";
  if (window.echarts) {
    document.querySelectorAll(".target-chart").forEach(function (target) {
      var source = document.getElementById(target.dataset.source);
      if (!source) return;
      var data = JSON.parse(source.textContent);
      if (typeof data === "string") data = JSON.parse(data);
      var series = data.series || [{name: data.name || "指标", actual: data.actual, target: data.target}];
      var chart = window.echarts.init(target);
      var bars = [];
      series.forEach(function (s) {
        bars.push({name: s.name, type: "bar", data: s.actual});
        if (s.target && s.target.some(function (v) { return v > 0; })) {
          bars.push({name: s.name + "目标", type: "bar", data: s.target});
        }
      });
      chart.setOption({
        tooltip: {trigger: "axis"}, legend: {type: "scroll"},
        grid: {left: 48, right: 16, bottom: 64},
        xAxis: {type: "category", data: data.names, axisLabel: {rotate: 30}},
        yAxis: {type: "value"}, series: bars
      });
      window.addEventListener("resize", function () { chart.resize(); });
    });
  }
  var sum = document.getElementById("split-sum");
  if (sum) {
    var parent = parseInt(sum.dataset.parent, 10) || 0;
    var state = document.getElementById("split-state");
    var update = function () {
      var total = 0;
      document.querySelectorAll("[data-split-part]").forEach(function (input) {
        var v = parseInt(input.value, 10);
        if (!isNaN(v) && v > 0) total += v;
      });
      sum.textContent = String(total);
      if (total < parent) {
        state.textContent = "还差 " + (parent - total) + "，分解不能少于上级目标";
        state.className = "text-danger fw-semibold";
      } else {
        state.textContent = total === parent ? "与上级目标相等" : "超出上级目标 " + (total - parent);
        state.className = "text-success fw-semibold";
      }
    };
    document.querySelectorAll("[data-split-part]").forEach(function (input) {
      input.addEventListener("input", update);
    });
    update();
  }
});
