// The web editor's page, run before Decap CMS, which it then starts: the preview pane in
// the site's own style; on this computer (`edit`), no login (the files are the editor's
// own), and after each save the build's problems (`path:line: what is wrong — how to fix
// it`) in a bar over the form, until a save fixes them. (The words come from the page.)
window.CMS_MANUAL_INIT = true;
(function () {
  var bar = document.getElementById("loa-problems");
  var source = bar.getAttribute("data-problems");
  if (source) {
    localStorage.setItem("decap-cms-user", JSON.stringify({backendName: "proxy"}));
  }
  document.addEventListener("DOMContentLoaded", function () {
    CMS.registerPreviewStyle("preview.css");
    // a picture needs its description (Loa refuses one without): said before saving
    CMS.registerEventListener({name: "preSave", handler: function (event) {
      var data = event.entry.get("data");
      if (data.get("image") && !String(data.get("image_alt") || "").trim()) {
        throw new Error(bar.getAttribute("data-alt"));
      }
    }});
    CMS.init();
    if (source) look();
  });
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
})();
