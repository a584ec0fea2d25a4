// Loa's listen button ("Nghe bài này"): the phone reads the article aloud with its own
// voice (speechSynthesis; no audio is downloaded). The page's small inline script loads
// this file only once the phone offers a voice of the text's language; this file puts
// the button in place (from <template id="listen">) and speaks, in that voice, the
// loudspeaker script written into the page (<template id="listen-text">: numbers
// already in words), or else the article's own text.
(function (d, S, U) {
  "use strict";
  var T = d.getElementById("listen"), X = d.getElementById("listen-text"),
      lang = T.getAttribute("data-lang"), voice = null, play, stop, chunks,
      at = 0, state = 0, run = 0;  // state: 0 stopped, 1 speaking, 2 paused
  if (!U) return;
  S.getVoices().some(function (v) { voice = v; return v.lang.split(/[-_]/)[0] == lang; });
  T.parentNode.insertBefore(T.content.cloneNode(true), T);
  play = T.previousElementSibling.firstElementChild;
  stop = play.parentNode.lastElementChild;

  // Chrome stops an utterance after about 15 s: speak a sentence at a time (a clause
  // past 100 characters, a word past 200).
  function split(text) {
    var found = [], chunk = "";
    text.split(/\s+/).forEach(function (word) {
      chunk += (chunk && word ? " " : "") + word;
      if (/[.!?\u17d4]$/.test(word) || chunk.length > 200 ||
          (/[,:;]$/.test(word) && chunk.length > 100)) {
        found.push(chunk);
        chunk = "";
      }
    });
    if (chunk) found.push(chunk);
    return found;
  }

  function text() {
    if (X) return X.content.textContent;
    return [].map.call(d.querySelectorAll("article>h1,article>.lead,article>.body"),
                       function (e) { return e.innerText; }).join("\n");
  }

  function show(next) {
    state = next;
    play.textContent = play.getAttribute("data-s" + next);
    stop.hidden = !next;
  }

  // Each utterance belongs to a run: once paused or stopped, what the cancelled one
  // reports ('end' or 'error') is no one's business.
  function say() {
    var mine = run, u = new U(chunks[at]);
    u.voice = voice;
    u.lang = voice.lang;
    u.rate = 0.9;  // a little slower: many readers are older
    u.onend = u.onerror = function (e) {
      if (mine != run) return;
      if (e.type == "end" && ++at < chunks.length) say(); else halt();
    };
    S.speak(u);
  }

  function halt() {
    run++;
    S.cancel();
    show(0);
  }

  // Pausing cancels and resuming says the cut sentence again: speechSynthesis.pause()
  // is not kept on Android.
  function press() {
    var was = state;
    halt();
    if (was == 1) return show(2);
    chunks = chunks || split(text());
    if (!was) at = 0;
    show(1);
    say();
  }

  play.onclick = press;
  stop.onclick = halt;
})(document, speechSynthesis, window.SpeechSynthesisUtterance);
