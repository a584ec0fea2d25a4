// The web editor's page, beside Decap CMS: the preview pane in the site's own style, and
// after each save the build's problems (`path:line: what is wrong — how to fix it`) in a
// bar over the form, until a save fixes them. (The words come from the page.)
(function () {
  CMS.registerPreviewStyle("preview.css");
  var bar = document.getElementById("loa-problems");
  var source = bar.getAttribute("data-problems");
  if (!source) return; // a host's /admin/: the build runs elsewhere
  function show(problems) {
    bar.textContent = "";
    bar.hidden = problems.length === 0;
    if (bar.hidden) return;
    var title = document.createElement("strong");
    title.textContent = bar.getAttribute("data-title").replace("{count}", problems.length);
    bar.appendChild(title);
    var list = document.createElement("ol");
    problems.forEach(function (p) {
      var item = document.createElement("li");
      if (p[0]) {
        var where = document.createElement("code");
        where.textContent = p[0];
        item.appendChild(where);
        item.appendChild(document.createTextNode(": "));
      }
      item.appendChild(document.createTextNode(p[1]));
      list.appendChild(item);
    });
    bar.appendChild(list);
    var preview = document.createElement("a");
    preview.href = "/";
    preview.target = "_blank";
    preview.textContent = bar.getAttribute("data-preview");
    bar.appendChild(preview);
  }
  function look() {
    fetch(source, {cache: "no-store"})
      .then(function (r) { return r.json(); })
      .then(function (found) { show(found.problems); })
      .catch(function () {})
      .then(function () { setTimeout(look, 1500); });
  }
  look();
})();
