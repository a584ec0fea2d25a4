(function () {
"use strict";
var TONES = {"\u0301": "1", "\u0300": "2", "\u0309": "3", "\u0303": "4", "\u0323": "5"};
function isMark(c) { return c >= 0x300 && c <= 0x36f; }
function isSep(c) {
return c < 0x30 || (c > 0x39 && c < 0x41) || (c > 0x5a && c < 0x61) || (c > 0x7a && c < 0xc0) ||
c === 0xd7 || c === 0xf7 || (c >= 0x2000 && c < 0x2c00) || (c >= 0x3000 && c < 0x3040) ||
(c >= 0xfe00 && c < 0xfe70) || c === 0xfeff || (c >= 0xff00 && c < 0xff10) ||
(c >= 0xff1a && c < 0xff21) || (c >= 0xff3b && c < 0xff41) || (c >= 0xff5b && c < 0xff66) ||
(c >= 0xfff0 && c < 0x10000) || (c >= 0x1f000 && c < 0x1fb00);
}
function digit(ch) { return ch >= "0" && ch <= "9"; }
function words(text) {
var d = Array.from(text.normalize("NFD").toLowerCase()), out = [], cur = "";
for (var i = 0; i < d.length; i++) {
var ch = d[i], c = ch.codePointAt(0);
if (isMark(c)) { if (cur) cur += ch; continue; }
if (isSep(c) && !((ch === "." || ch === ",") && digit(d[i - 1] || "") && digit(d[i + 1] || ""))) {
if (cur) out.push(cur);
cur = "";
continue;
}
cur += ch;
}
if (cur) out.push(cur);
return out;
}
function foldWord(w) { return w.replace(/[\u0300-\u036f]/g, "").replace(/đ/g, "d"); }
function fold(text) { return foldWord(text.normalize("NFD").toLowerCase()); }
function tokens(text) { return words(text).map(foldWord); }
function toneKey(w) {
var base = "", t = [];
Array.from(w.normalize("NFD").toLowerCase()).forEach(function (ch) {
if (TONES[ch]) t.push(TONES[ch]); else base += ch;
});
return base.normalize("NFC") + t.sort().join("");
}
function hash(s) {
var b = new TextEncoder().encode(s), h = 0x811c9dc5;
for (var i = 0; i < b.length; i++) h = Math.imul(h ^ b[i], 0x01000193) >>> 0;
return h;
}
var form = document.querySelector("form[data-index]");
var api = {fold: fold, tokens: tokens, words: words, toneKey: toneKey, hash: hash};
var waiting = {};
api.put = function (data) {
var s = document.currentScript, done = s && waiting[s.src];
if (done) done(data);
};
window.loaSearch = api;
if (!form || !window.Promise || !window.TextEncoder || !"".normalize || !Array.from || !("currentScript" in document)) return;
var D = form.dataset, box = form.elements.q, out = document.getElementById("search-results");
var N = +D.docs, B = +D.buckets, C = +D.chunk, cache = {}, shown = [], ranked = [], seq = 0;
function get(name) {
if (!cache[name]) {
cache[name] = new Promise(function (ok, fail) {
var s = document.createElement("script"), data;
s.src = D.index + name;
waiting[s.src] = function (d) { data = d; };
s.onload = s.onerror = function () {
delete waiting[s.src];
s.remove();
if (data) ok(data); else fail(new Error(name));
};
document.head.appendChild(s);
});
cache[name].catch(function () { delete cache[name]; });
}
return cache[name];
}
function file(kind, n) {
return get(D.manifest).then(function (m) {
return get((kind ? "m" : "") + n + "." + m[kind ? "m" : "b"].substr(n * 6, 6) + ".js");
});
}
function rank(q) {
var ws = words(q).slice(0, 10), uni = [], seen = {}, pairs = [];
ws.forEach(function (w, i) {
var f = foldWord(w);
if (!seen[f]) { seen[f] = 1; uni.push({f: f, tone: f !== w ? toneKey(w) : ""}); }
if (i) pairs.push(foldWord(ws[i - 1]) + " " + f);
});
var terms = uni.map(function (u) { return u.f; }).concat(pairs);
return Promise.all(terms.map(function (t) { return file(0, hash(t) % B); })).then(function (shards) {
var docs = {}, list = [], most = 0;
terms.forEach(function (t, n) {
var e = shards[n][t];
if (!e) return;
var gaps = e[0], w = e[1], keys = e[2], masks = e[3], u = uni[n], id = 0;
var idf = Math.log(1 + N / gaps.length), exact = u && u.tone && keys ? keys.indexOf(u.tone) : -1;
for (var i = 0; i < gaps.length; i++) {
id += gaps[i];
var r = docs[id];
if (!r) { r = docs[id] = [0, 0, 0, 0, id]; list.push(r); }
if (u) {
var wi = w.length ? w[i] : w;
r[0]++;
r[3] += idf * wi / (wi + 2);
if (exact >= 0 && (!masks || masks[i] >> exact & 1)) r[2]++;
} else {
r[1]++;
r[3] += idf;
}
if (r[0] > most) most = r[0];
}
});
return list.filter(function (r) { return r[0] === most; }).sort(function (a, b) {
return b[0] - a[0] || b[1] - a[1] || b[2] - a[2] || b[3] - a[3] || a[4] - b[4];
}).map(function (r) { return r[4]; });
});
}
api.rank = rank;
function el(tag, text, parent) {
var e = document.createElement(tag);
if (text) e.textContent = text;
if (parent) parent.appendChild(e);
return e;
}
function say(text) { out.textContent = ""; el("p", text, out); }
function more(list, focus) {
var ids = ranked.slice(shown.length, shown.length + 10), chunks = {};
ids.forEach(function (id) { chunks[Math.floor(id / C)] = 1; });
var names = Object.keys(chunks);
return Promise.all(names.map(function (k) { return file(1, k); })).then(function (rows) {
ids.forEach(function (id, n) {
var row = rows[names.indexOf(String(Math.floor(id / C)))][id % C], li = el("li", "", list);
var a = el("a", row[1], li);
a.href = row[0];
if (row[5]) el("strong", D[row[5]], li).className = "badge status-" + row[5];
if (focus && !n) a.focus();
el("small", [row[2], row[3]].filter(Boolean).join(" · "), li);
if (row[4]) el("p", row[4], li);
shown.push(id);
});
var old = out.querySelector("button");
if (old) old.remove();
if (shown.length < ranked.length) {
var b = el("button", D.more, out);
b.type = "button";
b.onclick = function () { more(list, 1); };
}
});
}
function run(q) {
var mine = ++seq;
q = q.trim();
if (!q) { out.textContent = ""; return Promise.resolve(); }
return rank(q).then(function (ids) {
if (mine !== seq) return;
ranked = ids;
shown = [];
if (!ids.length) return say(D.none);
say(D.count.replace("{count}", ids.length.toLocaleString(document.documentElement.lang || undefined)));
var ul = el("ul", "", out);
ul.className = "list";
return more(ul);
}).then(function () {
if (mine === seq) out.dispatchEvent(new Event("loa:results"));
}, function () {
if (mine === seq) say(D.error);
});
}
api.run = run;
form.addEventListener("submit", function (e) {
e.preventDefault();
try { history.replaceState(null, "", "?q=" + encodeURIComponent(box.value)); } catch (x) {}
run(box.value);
});
var m = /[?&]q=([^&]*)/.exec(location.search);
if (m) {
try { box.value = decodeURIComponent(m[1].replace(/\+/g, " ")); } catch (x) {}
run(box.value);
}
})();
