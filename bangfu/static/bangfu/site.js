/* bangfu: the page behaviours that templates ask for with data-* attributes.
   The Content-Security-Policy allows no inline scripts, event handlers or style attributes, so every
   behaviour lives here, delegated from the document, and works on fragments htmx swaps in too. */
(function () {
  "use strict";

  // data-fill-target="#id" data-fill-value="…" [data-clear="#id"]: a click fills a form field.
  // data-confirm="…": a click (a submit button) goes on only if the user confirms.
  // data-check-all="selector": a checkbox that ticks or clears every box the selector finds.
  // data-check-each="selector": a button that ticks every box the selector finds, then goes away.
  document.addEventListener("click", function (event) {
    var el = event.target.closest("[data-confirm], [data-fill-target], [data-check-all], [data-check-each]");
    if (!el) return;
    if (el.dataset.confirm !== undefined && !window.confirm(el.dataset.confirm)) {
      event.preventDefault();
      event.stopImmediatePropagation();
      return;
    }
    if (el.dataset.fillTarget) {
      var field = document.querySelector(el.dataset.fillTarget);
      if (field) {
        field.value = el.dataset.fillValue;
        field.dispatchEvent(new Event("change", {bubbles: true}));
      }
      if (el.dataset.clear) {
        var clear = document.querySelector(el.dataset.clear);
        if (clear) clear.replaceChildren();
      }
    }
    if (el.dataset.checkAll) {
      document.querySelectorAll(el.dataset.checkAll).forEach(function (box) { box.checked = el.checked; });
    }
    if (el.dataset.checkEach) {
      document.querySelectorAll(el.dataset.checkEach).forEach(function (box) {
        box.checked = true;
        box.dispatchEvent(new Event("change", {bubbles: true}));
      });
      el.remove();
    }
  }, true);

  // data-move-when-checked="#list" [data-remove-when-checked="#id"]: a ticked box's label joins the list.
  document.addEventListener("change", function (event) {
    var box = event.target;
    if (!box.matches || !box.matches("[data-move-when-checked]") || !box.checked) return;
    var placeholder = box.dataset.removeWhenChecked && document.querySelector(box.dataset.removeWhenChecked);
    if (placeholder) placeholder.remove();
    var list = document.querySelector(box.dataset.moveWhenChecked);
    if (list) list.append(box.closest("label"));
  });

  // data-no-enter-submit: Enter in this field does not submit its form (a search inside a form).
  document.addEventListener("keydown", function (event) {
    if (event.key === "Enter" && event.target.matches && event.target.matches("[data-no-enter-submit]")) {
      event.preventDefault();
    }
  });

  // data-percent="37": a progress bar's width, set here instead of in a style attribute.
  function showProgress(root) {
    root.querySelectorAll("[data-percent]").forEach(function (bar) {
      bar.style.width = Math.max(0, Math.min(100, Number(bar.dataset.percent) || 0)) + "%";
    });
  }
  if (window.htmx) {
    window.htmx.onLoad(showProgress);  // the page, and every fragment htmx swaps in
  } else {
    document.addEventListener("DOMContentLoaded", function () { showProgress(document); });
  }
})();

/* Compact lists and counts of ticked boxes. The compact choice is kept in this browser (localStorage). */
(function () {
  "use strict";
  var KEY = "bangfu.density";
  var root = document.documentElement;

  // Compact lists: one toggle on every long list; the choice is kept in this browser.
  function isCompact() { return root.getAttribute("data-density") === "compact"; }
  function setCompact(on) {
    if (on) { root.setAttribute("data-density", "compact"); } else { root.removeAttribute("data-density"); }
    document.querySelectorAll("[data-density-toggle]").forEach(function (button) {
      button.setAttribute("aria-pressed", on ? "true" : "false");
    });
  }
  try { if (localStorage.getItem(KEY) === "compact") { root.setAttribute("data-density", "compact"); } } catch (e) {}

  // A form's count of ticked boxes (<output data-count-checked="NAME">), e.g. the check-in's 已勾选 N 人.
  function count(form) {
    form.querySelectorAll("[data-count-checked]").forEach(function (out) {
      var name = out.getAttribute("data-count-checked");
      out.textContent = form.querySelectorAll('input[type="checkbox"][name="' + name + '"]:checked').length;
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    setCompact(isCompact());
    document.querySelectorAll("form").forEach(count);
  });
  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-density-toggle]");
    if (!button) { return; }
    var on = !isCompact();
    setCompact(on);
    try { localStorage.setItem(KEY, on ? "compact" : "normal"); } catch (e) {}
  });
  document.addEventListener("change", function (event) {
    if (event.target.form) { count(event.target.form); }
  });
})();
