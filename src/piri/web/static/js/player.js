// Piri's session player: runs a whole guided session in the browser from the page's data
// block (<script type="application/json" id="session-plan">), with no server in the loop.
// - Timers come from performance.now() differences, scaled by the server's timer pace, so a
//   throttled or late tick never stretches a hold; the countdown shows the plan's seconds.
// - Pause, Back, Skip, Next exercise, Stop; space pauses, arrow keys go back and skip.
// - Speech (speechSynthesis) and a beep (WebAudio) at each change, with a mute toggle; the
//   screen is kept awake (Wake Lock API) while a session runs.
// - The result (each exercise's status, as the server's SessionLog gives it, and the pain
//   scores) is queued in localStorage and sent with piri.fetchJSON; while the connection is
//   down it waits, and it is sent on the `online` event or on the next page that loads this
//   file (the Today page does too).
"use strict";
(function () {
  const QUEUE_KEY = "piri.unsent-sessions";
  const MUTE_KEY = "piri.player-muted";
  const TICK_MS = 50;
  const RETRY_MS = 30000;

  // ------------------------------------------------------------------------------------------
  // Saving: a queue of results on this device, sent when there is a connection.

  function readQueue() {
    try {
      const items = JSON.parse(localStorage.getItem(QUEUE_KEY) || "[]");
      return Array.isArray(items) ? items : [];
    } catch (error) {
      return [];
    }
  }

  function writeQueue(items) {
    try {
      localStorage.setItem(QUEUE_KEY, JSON.stringify(items));
      return true;
    } catch (error) {
      return false;
    }
  }

  // Whose results these are: a shared browser in multi-user mode never sends one person's
  // session under another's sign-in.
  function owner() {
    const element = document.querySelector("[data-owner]");
    return element ? element.dataset.owner : "";
  }

  const watchers = new Map(); // queue id -> function(state, detail)
  let flushing = false;
  let retryTimer = null;

  // Results this page is already reporting on (the session just played) are not counted
  // again in the page's general "waiting to save" line.
  function pendingCount() {
    return readQueue().filter((item) => item.owner === owner() && !watchers.has(item.id)).length;
  }

  function showQueueStatus() {
    const count = pendingCount();
    document.querySelectorAll("[data-save-status]").forEach((element) => {
      if (count === 0) {
        element.hidden = true;
        element.textContent = "";
        return;
      }
      element.hidden = false;
      element.dataset.state = "waiting";
      element.textContent =
        (count === 1 ? "1 session is" : `${count} sessions are`) +
        " waiting to save: kept on this device, saved as soon as the connection is back.";
    });
  }

  function removeFromQueue(id) {
    writeQueue(readQueue().filter((item) => item.id !== id));
  }

  function tell(id, state, detail) {
    const watcher = watchers.get(id);
    if (watcher) watcher(state, detail);
  }

  function scheduleRetry() {
    if (retryTimer !== null) return;
    retryTimer = window.setTimeout(() => {
      retryTimer = null;
      flush();
    }, RETRY_MS);
  }

  async function flush() {
    if (flushing) return;
    const mine = readQueue().filter((item) => item.owner === owner());
    if (mine.length === 0) {
      showQueueStatus();
      return;
    }
    if (!navigator.onLine || !window.piri) {
      mine.forEach((item) => tell(item.id, "waiting"));
      showQueueStatus();
      return;
    }
    flushing = true;
    try {
      for (const item of mine) {
        tell(item.id, "saving");
        try {
          const saved = await window.piri.fetchJSON("/api/v1/sessions", {
            method: "POST",
            body: JSON.stringify(item.payload),
          });
          removeFromQueue(item.id);
          tell(item.id, "saved", saved);
        } catch (error) {
          const status = error.status || 0;
          const retryable = status === 0 || status >= 500 || [401, 403, 408, 429].includes(status);
          if (retryable) {
            tell(item.id, "waiting", error);
            scheduleRetry();
            break;
          }
          removeFromQueue(item.id); // the server will never take it: say why, do not retry
          tell(item.id, "refused", error);
        }
      }
    } finally {
      flushing = false;
      showQueueStatus();
    }
  }

  function queueResult(payload) {
    const id = `${Date.now()}-${Math.random().toString(36).slice(2, 10)}`;
    const items = readQueue();
    items.push({ id, owner: owner(), payload, queued: new Date().toISOString() });
    const kept = writeQueue(items);
    return { id, kept };
  }

  window.addEventListener("online", () => flush());

  // htmx leaves a 422 answer unswapped by default; forms marked data-swap-422 show it (the
  // fragment holds the message that names the field).
  document.addEventListener("htmx:beforeSwap", (event) => {
    const detail = event.detail;
    if (detail.xhr && detail.xhr.status === 422 && detail.target && detail.target.closest("[data-swap-422]")) {
      detail.shouldSwap = true;
      detail.isError = false;
    }
  });

  // ------------------------------------------------------------------------------------------
  // The session log, as piri.domain.session.SessionLog summarises it.

  function summarise(plan, outcomes, stoppedAt) {
    return plan.exercises.map((exercise, index) => {
      const numbers = [];
      const work = [];
      plan.steps.forEach((step, number) => {
        if (step.exercise_index !== index) return;
        numbers.push(number);
        if (step.is_work) work.push(number);
      });
      const done = work.filter((n) => outcomes[n] && outcomes[n][0] === "done");
      const reached = numbers.some((n) => n in outcomes || n === stoppedAt);
      let status;
      if (!reached) status = "not reached";
      else if (done.length === work.length) status = "done";
      else if (numbers.includes(stoppedAt)) status = "stopped";
      else if (done.length > 0) status = "partly done";
      else status = "skipped";
      return {
        exercise: exercise.id,
        name: exercise.name,
        status,
        sets_done: done.length,
        sets_planned: work.length,
        reps: exercise.reps,
        active_seconds: done.reduce((total, n) => total + outcomes[n][1], 0),
      };
    });
  }

  function clockText(seconds) {
    const whole = Math.max(0, Math.ceil(seconds - 1e-9));
    return `${Math.floor(whole / 60)}:${String(whole % 60).padStart(2, "0")}`;
  }

  function minutesText(seconds) {
    const minutes = Math.round(seconds / 60);
    return minutes < 1 ? "under a minute" : `about ${minutes} min`;
  }

  function localDay() {
    const now = new Date();
    const pad = (n) => String(n).padStart(2, "0");
    return `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}`;
  }

  // ------------------------------------------------------------------------------------------
  // The player.

  function startPlayer(root, plan) {
    const pace = parseFloat(root.dataset.pace) || 1;
    const steps = plan.steps;
    const $ = (id) => document.getElementById(id);
    const view = {
      intro: $("intro"),
      run: $("run"),
      end: $("end"),
      stepList: $("step-list"),
      start: $("start"),
      exerciseCount: $("exercise-count"),
      exerciseName: $("exercise-name"),
      picture: $("picture"),
      caption: $("picture-caption"),
      label: $("step-label"),
      countdown: $("countdown"),
      reps: $("reps"),
      progress: $("step-progress"),
      paused: $("paused"),
      text: $("step-text"),
      cue: $("cue"),
      overall: $("overall"),
      announce: $("announce"),
      pause: $("pause"),
      back: $("back"),
      skip: $("skip"),
      next: $("next"),
      stop: $("stop"),
      mute: $("mute"),
      confirm: $("confirm-stop"),
      stopYes: $("stop-yes"),
      stopNo: $("stop-no"),
      endTitle: $("end-title"),
      endSummary: $("end-summary"),
      summaryBody: document.querySelector("#summary-table tbody"),
      form: $("end-form"),
      save: $("save"),
      saveResult: $("save-result"),
      afterSave: $("after-save"),
      retry: $("retry"),
    };

    let state = "ready"; // ready, running, paused, finished
    let index = 0;
    let spentBefore = 0; // ms spent on the current step before the running stretch began
    let runStart = 0; // performance.now() when the current running stretch began
    let timer = null;
    let outcomes = {}; // step number -> [outcome, seconds]
    let stoppedAt = null;
    let lastCountdown = "";
    let lastRep = 0;
    let warned = false;
    let wasRunning = false;
    let muted = false;
    let audio = null;
    let wakeLock = null;
    let queued = null;
    try {
      muted = localStorage.getItem(MUTE_KEY) === "1";
    } catch (error) {
      muted = false;
    }

    // Every picture is fetched now, so the session needs no connection once it is open.
    const preloaded = [];
    plan.exercises.forEach((exercise) =>
      exercise.figures.forEach((figure) => {
        const image = new Image();
        image.src = figure.url;
        preloaded.push(image);
      })
    );

    const durationMs = (number) => steps[number].seconds * pace * 1000;
    const spentMs = (now) => spentBefore + (state === "running" ? now - runStart : 0);

    // --- sound, speech, screen --------------------------------------------------------------

    function beep(frequency) {
      if (muted) return;
      try {
        const Context = window.AudioContext || window.webkitAudioContext;
        if (!Context) return;
        audio = audio || new Context();
        if (audio.state === "suspended") audio.resume().catch(() => {});
        const start = audio.currentTime;
        const oscillator = audio.createOscillator();
        const gain = audio.createGain();
        oscillator.frequency.value = frequency || 880;
        gain.gain.setValueAtTime(0.0001, start);
        gain.gain.exponentialRampToValueAtTime(0.2, start + 0.01);
        gain.gain.exponentialRampToValueAtTime(0.0001, start + 0.15);
        oscillator.connect(gain);
        gain.connect(audio.destination);
        oscillator.start(start);
        oscillator.stop(start + 0.17);
      } catch (error) {
        audio = null;
      }
    }

    function speak(text) {
      if (muted || !("speechSynthesis" in window) || !window.SpeechSynthesisUtterance) return;
      try {
        window.speechSynthesis.cancel(); // the newest instruction is the one that matters
        const utterance = new SpeechSynthesisUtterance(text.replace(/(\d+) s\b/g, "$1 seconds"));
        utterance.lang = document.documentElement.lang || "en";
        window.speechSynthesis.speak(utterance);
      } catch (error) {
        /* speech is a help, never a requirement */
      }
    }

    function announce(text) {
      view.announce.textContent = text;
    }

    async function keepAwake() {
      if (!("wakeLock" in navigator) || wakeLock || document.visibilityState !== "visible") return;
      try {
        wakeLock = await navigator.wakeLock.request("screen");
        wakeLock.addEventListener("release", () => {
          wakeLock = null;
        });
        if (state !== "running") letSleep();
      } catch (error) {
        wakeLock = null; // not supported or not allowed: the session runs anyway
      }
    }

    function letSleep() {
      if (wakeLock) {
        wakeLock.release().catch(() => {});
        wakeLock = null;
      }
    }

    document.addEventListener("visibilitychange", () => {
      if (document.visibilityState === "visible" && state === "running") keepAwake();
    });

    // --- what the screen shows ------------------------------------------------------------

    function pictureFor(step, exercise, fraction) {
      const figures = exercise.figures;
      if (figures.length === 0) return null;
      if (step.kind === "hold" || step.kind === "timed") return figures[figures.length - 1];
      if (step.kind === "reps" && step.reps) {
        const within = (fraction * step.reps) % 1;
        return figures[Math.min(figures.length - 1, Math.floor(within * figures.length))];
      }
      return figures[0];
    }

    function showPicture(figure) {
      if (!figure) {
        view.picture.hidden = true;
        view.caption.textContent = "";
        return;
      }
      view.picture.hidden = false;
      if (view.picture.getAttribute("src") !== figure.url) {
        view.picture.src = figure.url;
        view.picture.alt = figure.alt;
        view.caption.textContent = figure.label;
      }
    }

    function cueFor(step, exercise) {
      if (!step.is_work || exercise.cues.length === 0) return "";
      const turn = (step.set_number || 1) - 1 + ((step.rep_number || 1) - 1);
      return exercise.cues[turn % exercise.cues.length];
    }

    function renderStep() {
      const step = steps[index];
      const exercise = plan.exercises[step.exercise_index];
      view.run.dataset.kind = step.kind;
      view.exerciseCount.textContent = `Exercise ${step.exercise_index + 1} of ${plan.exercises.length}`;
      view.exerciseName.textContent = exercise.name;
      view.label.textContent = step.label;
      view.text.textContent = step.text;
      const cue = cueFor(step, exercise);
      view.cue.hidden = !cue;
      view.cue.textContent = cue ? `Cue: ${cue}` : "";
      view.reps.hidden = step.kind !== "reps";
      lastCountdown = "";
      lastRep = 0;
      warned = false;
      update(performance.now());
    }

    function update(now) {
      const step = steps[index];
      const exercise = plan.exercises[step.exercise_index];
      const duration = durationMs(index);
      const spent = Math.min(spentMs(now), duration);
      const fraction = duration > 0 ? spent / duration : 1;
      const remaining = (duration - spent) / pace / 1000; // in the plan's seconds
      const text = clockText(remaining);
      if (text !== lastCountdown) {
        view.countdown.textContent = text;
        lastCountdown = text;
      }
      view.progress.value = Math.round(fraction * 1000);
      if (step.kind === "reps" && step.reps) {
        const rep = Math.min(step.reps, Math.floor(fraction * step.reps) + 1);
        if (rep !== lastRep) {
          view.reps.textContent = `Rep ${rep} of ${step.reps}`;
          if (lastRep !== 0 && state === "running") speak(String(rep));
          lastRep = rep;
        }
      }
      showPicture(pictureFor(step, exercise, fraction));
      if (!warned && step.is_work && step.seconds >= 30 && remaining <= 10 && state === "running") {
        warned = true;
        announce("10 seconds left.");
        speak("10 seconds left");
      }
      let later = 0;
      for (let n = index + 1; n < steps.length; n += 1) later += steps[n].seconds;
      view.overall.textContent = `Step ${index + 1} of ${steps.length} · ${minutesText(remaining + later)} left`;
    }

    function cueStep() {
      const step = steps[index];
      const exercise = plan.exercises[step.exercise_index];
      beep(step.kind === "switch_sides" ? 660 : step.is_work ? 880 : 520);
      if (step.kind === "get_ready") {
        const where = step.side ? ` on the ${step.side} side` : "";
        announce(`${exercise.name}. ${step.text}`);
        speak(`${exercise.name}. Get ready${where}.`);
      } else {
        announce(step.text.startsWith(step.label) ? step.text : `${step.label}. ${step.text}`);
        speak(step.text);
      }
    }

    // --- time -------------------------------------------------------------------------------

    function loop() {
      window.clearTimeout(timer);
      timer = window.setTimeout(tick, TICK_MS);
    }

    function tick() {
      if (state !== "running") return;
      const now = performance.now();
      let spent = spentMs(now);
      let moved = false;
      while (spent >= durationMs(index)) {
        const over = spent - durationMs(index);
        outcomes[index] = ["done", durationMs(index) / 1000];
        if (index + 1 >= steps.length) {
          finish(false);
          return;
        }
        index += 1;
        spentBefore = over; // a late tick is carried into the next step, not lost
        runStart = now;
        spent = over;
        moved = true;
      }
      if (moved) {
        renderStep();
        cueStep();
      } else {
        update(now);
      }
      loop();
    }

    function goTo(number) {
      index = number;
      spentBefore = 0;
      runStart = performance.now();
      renderStep();
      cueStep();
    }

    function begin() {
      state = "running";
      view.intro.hidden = true;
      view.stepList.open = false;
      view.run.hidden = false;
      beep(880); // the first sound comes from the click, which lets the browser play audio
      keepAwake();
      goTo(0);
      loop();
      view.exerciseName.focus({ preventScroll: true });
      // The player fills the screen: the site's menu and the page title scroll away, so on
      // a phone the picture, the countdown and the controls are all in sight at once.
      view.run.scrollIntoView({ block: "start" });
    }

    function pause() {
      if (state !== "running") return;
      spentBefore = spentMs(performance.now());
      state = "paused";
      window.clearTimeout(timer);
      letSleep();
      view.pause.textContent = "Resume";
      view.paused.hidden = false;
      view.run.classList.add("is-paused");
      announce("Paused.");
      speak("Paused");
    }

    function resume() {
      if (state !== "paused") return;
      state = "running";
      runStart = performance.now();
      view.pause.textContent = "Pause";
      view.paused.hidden = true;
      view.run.classList.remove("is-paused");
      keepAwake();
      announce("Going on.");
      loop();
    }

    function togglePause() {
      if (state === "running") pause();
      else if (state === "paused") resume();
    }

    function leaveStep() {
      outcomes[index] = ["skipped", spentMs(performance.now()) / 1000];
    }

    function skip() {
      if (state !== "running" && state !== "paused") return;
      leaveStep();
      if (index + 1 >= steps.length) finish(false);
      else goTo(index + 1);
    }

    function back() {
      if (state !== "running" && state !== "paused") return;
      goTo(Math.max(0, index - 1));
    }

    function nextExercise() {
      if (state !== "running" && state !== "paused") return;
      leaveStep();
      const current = steps[index].exercise_index;
      let number = index + 1;
      while (number < steps.length && steps[number].exercise_index === current) {
        outcomes[number] = ["skipped", 0];
        number += 1;
      }
      if (number >= steps.length) finish(false);
      else goTo(number);
    }

    function askStop() {
      if (state !== "running" && state !== "paused") return;
      wasRunning = state === "running";
      pause();
      view.confirm.hidden = false;
      view.stopYes.focus();
    }

    function keepGoing() {
      view.confirm.hidden = true;
      if (wasRunning) resume();
      view.stop.focus();
    }

    function stopNow() {
      view.confirm.hidden = true;
      leaveStep();
      stoppedAt = index;
      finish(true);
    }

    // --- the end ----------------------------------------------------------------------------

    function finish(stopped) {
      state = "finished";
      window.clearTimeout(timer);
      letSleep();
      const summary = summarise(plan, outcomes, stoppedAt);
      const done = summary.filter((item) => item.status === "done").length;
      const elapsed = Object.values(outcomes).reduce((total, item) => total + item[1], 0);
      view.run.hidden = true;
      view.end.hidden = false;
      view.endTitle.textContent = stopped ? "Session stopped early" : "Session complete";
      view.endSummary.textContent = `${done} of ${summary.length} exercises done in ${clockText(elapsed)}.`;
      view.summaryBody.replaceChildren(
        ...summary.map((item) => {
          const row = document.createElement("tr");
          const name = document.createElement("th");
          name.scope = "row";
          name.textContent = item.name;
          const count = document.createElement("td");
          count.textContent = `${item.sets_done} of ${item.sets_planned}`;
          const status = document.createElement("td");
          status.textContent = item.status;
          status.className = `status status-${item.status.replace(" ", "-")}`;
          row.append(name, count, status);
          return row;
        })
      );
      view.endTitle.focus();
      beep(660);
      speak(`${view.endTitle.textContent}. How was the pain?`);
      view.form.addEventListener("submit", (event) => {
        event.preventDefault();
        save(summary);
      });
    }

    function painValue(name) {
      const chosen = view.form.querySelector(`input[name="${name}"]:checked`);
      return chosen ? Number(chosen.value) : null;
    }

    function save(summary) {
      if (queued) return;
      const payload = {
        routine: plan.routine,
        day: localDay(),
        exercises: summary.map((item) => ({
          exercise: item.exercise,
          status: item.status,
          sets_done: item.sets_done,
          sets_planned: item.sets_planned,
          reps: item.reps,
        })),
        pain_during: painValue("pain_during"),
        pain_after: painValue("pain_after"),
        notes: view.form.querySelector("textarea[name=notes]").value.trim(),
      };
      queued = queueResult(payload);
      view.save.disabled = true;
      view.form.querySelectorAll("input, textarea").forEach((input) => {
        input.disabled = true;
      });
      view.afterSave.hidden = false;
      watchers.set(queued.id, showSaveState);
      if (!queued.kept) {
        // No storage on this device (private mode, full): send it once and say so.
        sendUnqueued(payload);
        return;
      }
      showSaveState(navigator.onLine ? "saving" : "waiting");
      flush();
    }

    async function sendUnqueued(payload) {
      try {
        const saved = await window.piri.fetchJSON("/api/v1/sessions", {
          method: "POST",
          body: JSON.stringify(payload),
        });
        showSaveState("saved", saved);
      } catch (error) {
        showSaveState("refused", error);
      }
    }

    function showSaveState(saveState, detail) {
      const box = view.saveResult;
      box.dataset.state = saveState;
      view.retry.hidden = saveState !== "waiting";
      if (saveState === "saving") {
        box.textContent = "Saving…";
      } else if (saveState === "saved") {
        box.textContent = `Saved. ${(detail && detail.next) || ""}`.trim();
        view.retry.hidden = true;
      } else if (saveState === "waiting") {
        box.textContent =
          "Waiting to save: there is no connection to Piri. The session is kept on this device " +
          "and saved as soon as the connection is back.";
      } else {
        box.textContent = `Not saved: ${(detail && detail.message) || "the server refused it."}`;
      }
    }

    // --- controls -------------------------------------------------------------------------

    function setMuted(value) {
      muted = value;
      view.mute.setAttribute("aria-pressed", muted ? "true" : "false");
      try {
        localStorage.setItem(MUTE_KEY, muted ? "1" : "0");
      } catch (error) {
        /* the choice lasts this page only */
      }
      if (muted && "speechSynthesis" in window) window.speechSynthesis.cancel();
    }

    view.start.addEventListener("click", begin);
    view.pause.addEventListener("click", togglePause);
    view.skip.addEventListener("click", skip);
    view.back.addEventListener("click", back);
    view.next.addEventListener("click", nextExercise);
    view.stop.addEventListener("click", askStop);
    view.stopYes.addEventListener("click", stopNow);
    view.stopNo.addEventListener("click", keepGoing);
    view.mute.addEventListener("click", () => setMuted(!muted));
    view.retry.addEventListener("click", () => flush());
    setMuted(muted);

    document.addEventListener("keydown", (event) => {
      if (state !== "running" && state !== "paused") return;
      if (!view.confirm.hidden || event.altKey || event.ctrlKey || event.metaKey) return;
      const target = event.target;
      const typing = target.closest && target.closest("input, textarea, select");
      const control = target.closest && target.closest("button, a, summary");
      if (event.key === " " && !typing && !control) {
        event.preventDefault();
        togglePause();
      } else if (event.key === "ArrowLeft" && !typing) {
        event.preventDefault();
        back();
      } else if (event.key === "ArrowRight" && !typing) {
        event.preventDefault();
        skip();
      }
    });

    window.addEventListener("beforeunload", (event) => {
      if (state === "running" || state === "paused") {
        event.preventDefault();
        event.returnValue = "";
      }
    });

    view.start.hidden = false;
    document.getElementById("start-help").hidden = false;
  }

  window.PiriPlayer = { summarise, clockText };

  function init() {
    const data = document.getElementById("session-plan");
    const root = document.getElementById("player");
    if (data && root) {
      try {
        startPlayer(root, JSON.parse(data.textContent));
      } catch (error) {
        // Leave the readable list of steps; nothing else on the page depends on the player.
        const help = document.getElementById("start-help");
        if (help) {
          help.hidden = false;
          help.textContent = "The timed player could not start here; the steps are listed below.";
        }
      }
    }
    showQueueStatus();
    flush();
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
