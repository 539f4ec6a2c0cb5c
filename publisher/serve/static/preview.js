// publisher serve: reload an edition when the server rebuilt it (keeping the
// scroll position), and show a clicked block's message. Text from catalogs is
// only ever set as textContent, never parsed as HTML.
(function () {
  "use strict";
  var me = document.currentScript.dataset;
  var key = me.key, version = Number(me.version);
  var scrollKey = "publisher-scroll:" + key;
  var saved = sessionStorage.getItem(scrollKey);
  if (saved !== null) {
    sessionStorage.removeItem(scrollKey);
    var y = Number(saved);
    window.scrollTo(0, y);
    window.addEventListener("load", function () { window.scrollTo(0, y); });
  }
  var events = new EventSource("/events");
  function reload() {
    sessionStorage.setItem(scrollKey, String(window.scrollY));
    events.close();
    location.reload();
  }
  events.addEventListener("built", function (e) {
    var d = JSON.parse(e.data);
    if (key === "*" || (d.key === key && d.version > version)) reload();
  });
  // (Re)connected: a rebuild may have happened while no stream was open.
  events.addEventListener("open", function () {
    fetch("/api/versions").then(function (r) { return r.json(); }).then(function (v) {
      if (key === "*" ? v["*"] > version : v[key] > version) reload();
      else {
        // Marked in the DOM too, so a test can wait for it with a selector:
        // this page's CSP forbids the eval a script-string wait would need.
        window.publisherLive = true;
        document.documentElement.setAttribute("data-publisher-live", "");
      }
    });
  });
  if (key === "*") return;
  var panel = document.getElementById("publisher-unit");
  var units = null;
  function row(list, term, value, cls) {
    var dt = document.createElement("dt"); dt.textContent = term;
    var dd = document.createElement("dd"); dd.textContent = value;
    if (cls) dd.className = cls;
    list.appendChild(dt); list.appendChild(dd);
  }
  function show(el) {
    var u = units[el.dataset.unit];
    if (!u) return;
    document.querySelectorAll(".publisher-selected").forEach(function (x) { x.classList.remove("publisher-selected"); });
    el.classList.add("publisher-selected");
    panel.replaceChildren();
    var list = document.createElement("dl");
    row(list, "Status", u.status + (u.shown_in_english ? " (shown in English)" : ""), "status-" + u.status);
    row(list, "msgid", u.msgid);
    if (u.po) row(list, "PO file", u.po);
    row(list, "Source", u.source);
    row(list, "Check findings", u.findings.length ? u.findings.join("\n") : "none");
    panel.appendChild(list);
    panel.hidden = false;
  }
  document.addEventListener("click", function (e) {
    var el = e.target.closest("[data-unit]");
    if (!el) { if (!e.target.closest("#publisher-unit")) panel.hidden = true; return; }
    if (e.target.closest("a")) e.preventDefault();
    if (units) { show(el); return; }
    fetch("/api/units/" + key).then(function (r) { return r.json(); }).then(function (data) { units = data; show(el); });
  });
})();
