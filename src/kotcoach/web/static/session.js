// The guided session on the phone: one exercise at a time, one tap a set, timers for holds and
// rest. Every result goes into an outbox kept in this browser's storage and is sent at once, in
// order; what the server has not acknowledged stays there and is sent again (every few seconds,
// when the network comes back, and when the page is opened again). The server makes every
// resend harmless: a set carries its number, and a number already logged is not logged twice.
(function () {
  "use strict";

  var plan = JSON.parse(document.getElementById("plan-data").textContent);
  var csrf = document.querySelector('meta[name="csrf-token"]').content;
  var OUTBOX = "kotcoach-outbox:" + plan.profile;
  var SKIP_UNDO_MS = 5000;
  var RETRY_MS = 3000;
  var PAIN_STOP = 5; // above 5/10 during an exercise: stop it for today

  function $(id) { return document.getElementById(id); }
  function show(id, on) { $(id).hidden = !on; }

  // --- the outbox -------------------------------------------------------------------------------

  function loadOutbox() {
    try { return JSON.parse(localStorage.getItem(OUTBOX)) || []; } catch (e) { return []; }
  }
  var outbox = loadOutbox();
  var failing = false;
  var sending = false;
  var retryTimer = null;
  var signedOut = false; // told 403: nothing more is sent until the page is opened again

  function persist() {
    try { localStorage.setItem(OUTBOX, JSON.stringify(outbox)); } catch (e) { /* kept in memory */ }
  }

  // Each change starts from what is stored: another tab of the same profile may have changed it.
  function queue(kind, body, delay) {
    var item = { id: Date.now() + "-" + Math.random().toString(36).slice(2), kind: kind,
      body: body, notBefore: delay ? Date.now() + delay : 0 };
    outbox = loadOutbox();
    outbox.push(item);
    persist();
    flush();
    return item.id;
  }

  function unqueue(id) {
    outbox = loadOutbox();
    var before = outbox.length;
    outbox = outbox.filter(function (item) { return item.id !== id; });
    persist();
    return outbox.length < before;
  }

  function later(ms) {
    if (retryTimer) clearTimeout(retryTimer);
    retryTimer = setTimeout(function () { retryTimer = null; flush(); }, ms);
  }

  function flush() {
    if (sending || signedOut) return;
    outbox = loadOutbox();
    if (!outbox.length) { failing = false; status(); return; }
    var item = outbox[0];
    var wait = item.notBefore - Date.now();
    if (wait > 0) { later(wait); return; }
    sending = true;
    fetch("/api/" + item.kind, {
      method: "POST", credentials: "same-origin", cache: "no-store",
      headers: { "Content-Type": "application/json", "X-CSRF-Token": csrf },
      body: JSON.stringify(item.body)
    }).then(function (response) {
      sending = false;
      if (response.ok) {
        unqueue(item.id); failing = false; status(); flush();
      } else if (response.status === 400 || response.status === 409 || response.status === 422) {
        // Refused for good (the server says why): keeping it would block every later result.
        return response.text().then(function (text) {
          unqueue(item.id); status("Not saved: " + text, true); flush();
        });
      } else {
        failing = true;
        if (response.status === 403) {
          signedOut = true;
          // No longer signed in (a new token was made): trying again cannot help, and wrong
          // tokens get a phone locked out for a minute. The results wait for the new link.
          status("Not signed in any more, or this page is out of date: reload it, or open " +
            "the link from the computer again. Your results are kept on this phone.", true);
          return;
        }
        status();
        later(response.status === 429 ? 60000 : RETRY_MS);
      }
    }, function () {
      sending = false; failing = true; status(); later(RETRY_MS);
    });
  }

  var notice = null; // a result the server refused: said for a while, whatever comes next
  function status(text, error) {
    var box = $("status");
    var unsaved = outbox.filter(function (item) { return !item.notBefore || item.notBefore <= Date.now(); });
    if (text && error && text.indexOf("Not saved") === 0) {
      notice = { text: text, until: Date.now() + 8000 };
      setTimeout(status, 8100);
    }
    if (notice && notice.until > Date.now()) {
      box.textContent = notice.text;
      box.className = "unsaved";
      return;
    }
    if (text) {
      box.textContent = text;
    } else if (failing && unsaved.length) {
      box.textContent = unsaved.length + (unsaved.length === 1 ? " result is" : " results are") +
        " not saved yet: kept on this phone, sending again…";
    } else {
      box.textContent = "";
    }
    box.className = (failing || error) ? "unsaved" : "";
  }

  window.addEventListener("online", flush);
  document.addEventListener("visibilitychange", function () { if (!document.hidden) flush(); });

  // --- sound, vibration, speech, screen ---------------------------------------------------------

  var audio = null;
  function wake() {
    // Browsers allow sound only after a tap: the first tap makes the audio context.
    if (!audio && (window.AudioContext || window.webkitAudioContext)) {
      try { audio = new (window.AudioContext || window.webkitAudioContext)(); } catch (e) { audio = null; }
    }
    if (navigator.wakeLock && !wake.lock) {
      navigator.wakeLock.request("screen").then(function (lock) { wake.lock = lock; }, function () {});
    }
  }
  function beep() {
    if (!$("sound").checked) return;
    if (navigator.vibrate) navigator.vibrate([250, 120, 250]);
    if (!audio) return;
    [0, 0.3].forEach(function (at) {
      var osc = audio.createOscillator();
      var gain = audio.createGain();
      osc.frequency.value = 880;
      gain.gain.setValueAtTime(0.25, audio.currentTime + at);
      gain.gain.exponentialRampToValueAtTime(0.001, audio.currentTime + at + 0.25);
      osc.connect(gain); gain.connect(audio.destination);
      osc.start(audio.currentTime + at); osc.stop(audio.currentTime + at + 0.26);
    });
  }
  function say(text) {
    if (!$("speak").checked || !window.speechSynthesis) return;
    window.speechSynthesis.cancel();
    window.speechSynthesis.speak(new SpeechSynthesisUtterance(text));
  }
  ["speak", "sound"].forEach(function (id) {
    var saved = localStorage.getItem("kotcoach-" + id);
    if (saved !== null) $(id).checked = saved === "1";
    $(id).addEventListener("change", function () {
      localStorage.setItem("kotcoach-" + id, $(id).checked ? "1" : "0");
    });
  });

  // --- where the session is ---------------------------------------------------------------------

  var exercises = plan.exercises;
  // Results still in the outbox (not saved before the page was left) count as done here too.
  outbox.forEach(function (item) {
    var b = item.body;
    if (b.date !== plan.date || b.slot !== plan.slot) return;
    exercises.forEach(function (e) {
      if (e.id !== b.exercise) return;
      if (item.kind === "set") e.already_done = Math.max(e.already_done, b.number);
      if (item.kind === "skip" || item.kind === "pain") e.finished = true;
    });
  });

  var at = 0;          // the exercise on screen
  var done = 0;        // its sets done (saved or in the outbox)
  var side = 1;        // a timed set per side: which side is held
  var firstSide = null;
  var timer = null;    // {end, kind: "work" | "rest", started}
  var undoItem = null;

  function current() { return exercises[at]; }
  function unitLabel(e) {
    return { reps: "Reps", hold_seconds: "Seconds held", minutes: "Minutes" }[e.measure];
  }
  function amountText(e, value) {
    if (e.measure === "reps") return value + (value === 1 ? " rep" : " reps");
    if (e.measure === "hold_seconds") return value + " s";
    return value + " min";
  }

  function begin(index) {
    at = index;
    while (at < exercises.length && (exercises[at].finished || exercises[at].already_done >= exercises[at].sets)) at++;
    if (at >= exercises.length) { finish(); return; }
    var e = current();
    done = e.already_done;
    side = 1; firstSide = null;
    // Counted from what is left (the page leaves out what is already logged today).
    var after = exercises.slice(at + 1).filter(function (x) { return !x.finished; }).length;
    $("where").textContent = (e.warm_up ? "Warm-up · " : "") +
      (after === 0 ? "Last exercise" : after + " more after this one");
    $("name").textContent = e.name;
    var figure = document.querySelector('#figures [data-id="' + CSS.escape(e.id) + '"]');
    $("figure").replaceChildren();
    if (figure) $("figure").appendChild(figure.cloneNode(true));
    var drawn = $("figure").querySelector("svg");
    if (drawn && drawn.pauseAnimations && window.matchMedia &&
        window.matchMedia("(prefers-reduced-motion: reduce)").matches) {
      drawn.pauseAnimations(); // the start frame, still, for those who asked for less motion
    }
    var cues = $("cues");
    cues.replaceChildren();
    e.cues.forEach(function (cue) {
      var li = document.createElement("li"); li.textContent = cue; cues.appendChild(li);
    });
    $("cautions").textContent = e.cautions.join(" ");
    show("cautions", e.cautions.length > 0);
    show("stopped", false);
    show("run", true); show("finish", false);
    ready();
    say(e.name + ". " + (e.cues[0] || ""));
  }

  function ready() {
    var e = current();
    stopTimer();
    show("phase-ready", true); show("phase-timer", false); show("phase-pain", false);
    show("skip", true);
    var perSide = e.per_side ? " per side" : "";
    $("dose").textContent = "Set " + (done + 1) + " of " + e.sets + " · " + amountText(e, e.target) + perSide;
    $("amount-label").textContent = unitLabel(e) + (e.per_side && e.measure !== "reps" ? (side === 1 ? ", first side" : ", second side") : "");
    $("amount").value = e.target;
    $("go").textContent = e.measure === "reps" ? "Set done" : (side === 1 ? "Start" : "Start the second side");
  }

  function amountValue() {
    var value = parseInt($("amount").value, 10);
    var e = current();
    var high = { reps: 500, hold_seconds: 3600, minutes: 600 }[e.measure];
    if (isNaN(value) || value < 1) value = 1;
    return Math.min(value, high);
  }

  function recordSet(value) {
    var e = current();
    done += 1;
    queue("set", { profile: plan.profile, date: plan.date, slot: plan.slot, exercise: e.id,
      number: done, measure: e.measure, value: value });
    e.already_done = done;
    if (done >= e.sets) { askPain(); return; }
    startTimer("rest", e.rest_seconds);
  }

  // --- timers -----------------------------------------------------------------------------------

  function startTimer(kind, seconds) {
    stopTimer();
    var e = current();
    timer = { kind: kind, end: Date.now() + seconds * 1000, started: Date.now() };
    show("phase-ready", false); show("phase-timer", true); show("phase-pain", false);
    show("skip", kind === "rest");
    var doing = e.measure === "minutes" ? "Go" : "Hold";
    if (e.per_side) doing = side === 1 ? "First side" : "Second side";
    $("timer-what").textContent = kind === "rest" ? "Rest, then set " + (done + 1) + " of " + e.sets :
      doing + " · set " + (done + 1) + " of " + e.sets;
    $("timer-end").textContent = kind === "rest" ? "End rest" : "Stop early";
    show("less", kind === "rest"); show("more", kind === "rest");
    timer.tick = setInterval(tick, 200);
    tick();
    say(kind === "rest" ? "Rest" : "Go");
  }

  function stopTimer() {
    if (timer && timer.tick) clearInterval(timer.tick);
    timer = null;
  }

  function tick() {
    if (!timer) return;
    var left = Math.max(0, Math.ceil((timer.end - Date.now()) / 1000));
    var m = Math.floor(left / 60), s = left % 60;
    $("clock").textContent = m + ":" + (s < 10 ? "0" : "") + s;
    if (left <= 0) timerDone(false);
  }

  function timerDone(early) {
    var t = timer;
    stopTimer();
    beep();
    if (t.kind === "rest") { ready(); say("Set " + (done + 1)); return; }
    var e = current();
    var seconds = early ? (Date.now() - t.started) / 1000 : (t.end - t.started) / 1000;
    // A set stopped at once still counts as one of its unit: the log holds no empty sets.
    var value = Math.max(1, e.measure === "minutes" ? Math.round(seconds / 60) : Math.round(seconds));
    if (e.per_side && side === 1) {
      firstSide = value; side = 2; ready(); say("Second side"); return;
    }
    if (firstSide !== null) value = Math.min(firstSide, value);
    side = 1; firstSide = null;
    recordSet(value);
  }

  // --- pain -------------------------------------------------------------------------------------

  function scale(id, onPick) {
    var box = $(id);
    for (var n = 0; n <= 10; n++) {
      var b = document.createElement("button");
      b.type = "button"; b.textContent = String(n);
      if (n > PAIN_STOP) b.className = "high";
      b.addEventListener("click", onPick.bind(null, n));
      box.appendChild(b);
    }
  }

  function askPain() {
    stopTimer();
    show("phase-ready", false); show("phase-timer", false); show("phase-pain", true);
    show("skip", false);
    var sets = current().sets;
    $("dose").textContent = done >= sets ? "All " + (sets === 1 ? "done" : sets + " sets done") :
      done + " of " + sets + " sets done";
    say("Worst pain during it, zero to ten?");
  }

  scale("pain-scale", function (pain) {
    var e = current();
    queue("pain", { profile: plan.profile, date: plan.date, slot: plan.slot, exercise: e.id, pain: pain });
    e.finished = true;
    var next = at + 1;
    begin(next);
    if (pain > PAIN_STOP) {
      $("stopped").textContent = e.name + ": pain " + pain + "/10 is above 5. It stops for today, " +
        "and the coach will make it easier next time.";
      show("stopped", true);
    }
  });

  scale("after-scale", function (pain) {
    queue("pain-after", { profile: plan.profile, date: plan.date, slot: plan.slot, pain: pain });
    show("after-ask", false); show("after-done", true);
  });

  function finish() {
    stopTimer();
    show("run", false);
    var any = exercises.some(function (e) { return e.already_done > 0; });
    show(any ? "finish" : "empty", true);
    say("Session done");
  }

  // --- skip, with undo --------------------------------------------------------------------------

  $("skip").addEventListener("click", function () {
    wake();
    var e = current();
    var index = at;
    var before = done;
    var id = queue("skip", { profile: plan.profile, date: plan.date, slot: plan.slot, exercise: e.id }, SKIP_UNDO_MS);
    e.finished = true;
    undoItem = { id: id, index: index, done: before };
    $("undo-text").textContent = "Skipped " + e.name;
    show("undo", true);
    setTimeout(function () { if (undoItem && undoItem.id === id) { undoItem = null; show("undo", false); } }, SKIP_UNDO_MS);
    begin(index + 1);
  });

  $("undo-button").addEventListener("click", function () {
    if (!undoItem) return;
    var item = undoItem;
    undoItem = null;
    show("undo", false);
    if (!unqueue(item.id)) return; // already sent: too late to take back
    exercises[item.index].finished = false;
    show("finish", false); show("empty", false);
    begin(item.index);
    status();
  });

  // --- the buttons ------------------------------------------------------------------------------

  $("go").addEventListener("click", function () {
    wake();
    var e = current();
    var value = amountValue();
    if (e.measure === "reps") { recordSet(value); return; }
    var seconds = e.measure === "minutes" ? value * 60 : value;
    startTimer("work", seconds);
  });
  $("timer-end").addEventListener("click", function () { wake(); timerDone(true); });
  $("less").addEventListener("click", function () { if (timer) timer.end = Math.max(Date.now(), timer.end - 15000); tick(); });
  $("more").addEventListener("click", function () { if (timer) timer.end += 15000; tick(); });
  $("minus").addEventListener("click", function () { $("amount").value = Math.max(1, amountValue() - 1); });
  $("plus").addEventListener("click", function () { $("amount").value = amountValue() + 1; });

  if (!exercises.length) { show("empty", true); } else { begin(0); }
  flush();
})();
