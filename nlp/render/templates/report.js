(function () {
  "use strict";
  var report = document.getElementById("report-text");
  if (!report) { return; }
  var priority = (report.getAttribute("data-priority") || "").split(" ");
  var active = null;

  function byId(id) { return document.getElementById(id); }

  function activate(index, focusNote) {
    var sentence = byId("s-" + index);
    var note = byId("n-" + index);
    if (active !== null) {
      var oldSentence = byId("s-" + active);
      var oldNote = byId("n-" + active);
      if (oldSentence) { oldSentence.classList.remove("active"); oldSentence.setAttribute("aria-pressed", "false"); }
      if (oldNote) { oldNote.classList.remove("active"); }
    }
    if (active === index) { active = null; return; }
    active = index;
    if (sentence) { sentence.classList.add("active"); sentence.setAttribute("aria-pressed", "true"); }
    if (note) {
      note.classList.add("active");
      if (note.scrollIntoView) { note.scrollIntoView({ block: "nearest", behavior: "smooth" }); }
      if (focusNote) { note.focus(); }
    }
  }

  report.addEventListener("click", function (event) {
    var target = event.target;
    var sentence = target.closest ? target.closest(".s.flag") : null;
    if (sentence && !sentence.classList.contains("off")) {
      activate(sentence.getAttribute("data-i"), false);
      return;
    }
    var note = target.closest ? target.closest(".note") : null;
    if (note && !(target.closest && target.closest("a"))) {
      activate(note.getAttribute("data-i"), false);
      var linked = byId("s-" + note.getAttribute("data-i"));
      if (linked) { linked.focus(); }
    }
  });

  report.addEventListener("keydown", function (event) {
    var target = event.target;
    if (!target.classList || !target.classList.contains("flag")) { return; }
    if (event.key === "Enter" || event.key === " " || event.key === "Spacebar") {
      event.preventDefault();
      activate(target.getAttribute("data-i"), false);
    }
  });

  document.addEventListener("click", function (event) {
    var link = event.target.closest ? event.target.closest("a[data-goto]") : null;
    if (!link) { return; }
    var index = link.getAttribute("data-goto");
    var sentence = byId("s-" + index);
    if (!sentence) { return; }
    event.preventDefault();
    sentence.scrollIntoView({ block: "center", behavior: "smooth" });
    if (sentence.classList.contains("flag")) {
      if (active !== index) { activate(index, false); }
      sentence.focus({ preventScroll: true });
    } else {
      sentence.setAttribute("tabindex", "-1");
      sentence.focus({ preventScroll: true });
    }
  });

  function applyFilters() {
    var hidden = {};
    var boxes = document.querySelectorAll("input[data-filter]");
    for (var i = 0; i < boxes.length; i++) {
      if (!boxes[i].checked) { hidden[boxes[i].getAttribute("data-filter")] = true; }
    }
    var sentences = report.querySelectorAll(".s.flag");
    for (var j = 0; j < sentences.length; j++) {
      var cats = sentences[j].getAttribute("data-categories").split(" ");
      var show = null;
      for (var p = 0; p < priority.length && show === null; p++) {
        if (cats.indexOf(priority[p]) >= 0 && !hidden[priority[p]]) { show = priority[p]; }
      }
      for (var c = 0; c < cats.length && show === null; c++) {
        if (!hidden[cats[c]]) { show = cats[c]; }
      }
      if (show === null) {
        sentences[j].removeAttribute("data-show");
        sentences[j].classList.add("off");
        sentences[j].setAttribute("tabindex", "-1");
      } else {
        sentences[j].setAttribute("data-show", show);
        sentences[j].classList.remove("off");
        sentences[j].setAttribute("tabindex", "0");
      }
    }
    var notes = report.querySelectorAll(".note");
    for (var k = 0; k < notes.length; k++) {
      var items = notes[k].querySelectorAll("li[data-category]");
      var visible = 0;
      for (var m = 0; m < items.length; m++) {
        var off = !!hidden[items[m].getAttribute("data-category")];
        items[m].classList.toggle("hidden", off);
        if (!off) { visible++; }
      }
      notes[k].classList.toggle("hidden", visible === 0);
    }
    var asides = report.querySelectorAll(".notes");
    for (var a = 0; a < asides.length; a++) {
      asides[a].classList.toggle("hidden", asides[a].querySelectorAll(".note:not(.hidden)").length === 0);
    }
  }

  var filterBoxes = document.querySelectorAll("input[data-filter]");
  for (var f = 0; f < filterBoxes.length; f++) { filterBoxes[f].addEventListener("change", applyFilters); }
  applyFilters();
}());
