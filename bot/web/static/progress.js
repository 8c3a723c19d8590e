// The Progress View, live: re-render from each WebSocket snapshot, press buttons, notify.
// Every task string goes into the page through textContent; nothing here builds HTML.

const SYMBOLS = { completed: "✓", running: "◐", pending: "○", approval: "⚠", failed: "✕", paused: "⏸", skipped: "✓", cancelled: "✕" };
const NOTES = { running: "in progress", pending: "pending", failed: "failed", approval: "needs approval", paused: "paused", skipped: "skipped" };
const STATUS_WORDS = { pending: "Not started", running: "Running", paused: "Paused", approval: "Needs approval", completed: "Completed", failed: "Failed", cancelled: "Cancelled" };
// Symbols are drawn from the page's sprite (render.py's ICONS); the character stays for readers.
const ICON_OF = { skipped: "completed", cancelled: "failed" };
const SVG_NS = "http://www.w3.org/2000/svg";
const BAR_WIDTH = 30;
const MAX_BACKOFF_MS = 30000;

const main = document.getElementById("view");
const view = JSON.parse(main.dataset.view);
const csrf = document.querySelector('meta[name="progressbot-csrf"]').content;
// The server's clock may differ from ours (and in tests it is a fake one): measure "ago" on its.
const clockOffsetMs = view.serverNow * 1000 - Date.now();
const linkToken = new URLSearchParams(location.search).get("t");
if (linkToken) {
  // The session cookie now stands in for the link; keep the token out of history and bookmarks.
  history.replaceState(null, "", location.pathname);
}

const $ = (id) => document.getElementById(id);
let current = null;
let lastAnnounced = "";

function el(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

function pct(value) {
  const n = Math.round(Number(value));
  return Number.isFinite(n) ? Math.max(0, Math.min(100, n)) : 0;
}

function serverNow() {
  return Date.now() + clockOffsetMs;
}

function formatAgo(seconds) {
  const whole = Math.max(0, Math.floor(seconds));
  if (whole < 60) return "just now";
  const minutes = Math.floor(whole / 60);
  if (minutes < 60) return `${minutes} min ago`;
  const hours = Math.floor(minutes / 60);
  const rest = minutes % 60;
  if (hours < 24) return rest ? `${hours} h ${rest} min ago` : `${hours} h ago`;
  return `${Math.floor(hours / 24)} d ago`;
}

function formatEtaShort(seconds) {
  if (seconds === null || seconds === undefined || !Number.isFinite(Number(seconds))) return "estimating…";
  const whole = Math.max(0, Math.floor(Number(seconds)));
  if (whole < 60) return "<1 min remaining";
  const totalMinutes = Math.floor((whole + 30) / 60);
  const hours = Math.floor(totalMinutes / 60);
  const minutes = totalMinutes % 60;
  const words = [];
  if (hours) words.push(`${hours} h`);
  if (minutes) words.push(`${minutes} min`);
  return `${words.join(" ")} remaining`;
}

function displayName(snap) {
  return (snap.short_name || snap.title || "").trim();
}

function currentStep(snap) {
  return (snap.steps || []).find((s) => s.order === snap.current_step) || null;
}

function substepStates(step) {
  let open = step.status === "running" || step.status === "paused" ? step.status : null;
  return (step.substeps || []).map((sub) => {
    const label = sub.label || sub.name;
    if (sub.done) return [label, "completed"];
    if (open) {
      const state = open;
      open = null;
      return [label, state];
    }
    return [label, "pending"];
  });
}

function noteNode(state) {
  const note = NOTES[state];
  return note ? el("span", "note", `(${note})`) : null;
}

function iconNodes(name, char) {
  let icon = ICON_OF[name] || name;
  if (!document.getElementById(`i-${icon}`)) icon = "pending";
  const svg = document.createElementNS(SVG_NS, "svg");
  svg.setAttribute("class", `icon icon-${icon}`);
  svg.setAttribute("aria-hidden", "true");
  svg.setAttribute("focusable", "false");
  const use = document.createElementNS(SVG_NS, "use");
  use.setAttribute("href", `#i-${icon}`);
  svg.append(use);
  return [svg, el("span", "sr-only", char)];
}

function symbolNode(state) {
  const node = el("span", "sym");
  node.append(...iconNodes(state, SYMBOLS[state] || "○"));
  node.title = state;
  return node;
}

// ---------------------------------------------------------------- times, in the viewer's zone

const zoneName = Intl.DateTimeFormat().resolvedOptions().timeZone || "";
const clockFormat = new Intl.DateTimeFormat(undefined, { hour: "2-digit", minute: "2-digit", second: "2-digit", hourCycle: "h23", timeZoneName: "short" });
const dayFormat = new Intl.DateTimeFormat(undefined, { month: "short", day: "numeric" });
const fullFormat = new Intl.DateTimeFormat(undefined, { dateStyle: "full", timeStyle: "long" });

function localClock(date) {
  const parts = clockFormat.formatToParts(date);
  const pick = (type) => parts.find((part) => part.type === type)?.value || "";
  const clock = `${pick("hour")}:${pick("minute")}:${pick("second")} ${pick("timeZoneName")}`.trim();
  const sameDay = dayFormat.format(date) === dayFormat.format(new Date(serverNow()));
  return sameDay ? clock : `${dayFormat.format(date)}, ${clock}`;
}

function localizeTimes(root) {
  for (const node of root.querySelectorAll("time[datetime]")) {
    const date = new Date(node.getAttribute("datetime"));
    if (Number.isNaN(date.getTime())) continue;
    node.textContent = localClock(date);
    node.title = fullFormat.format(date);
  }
}

function timeNode(iso) {
  const node = el("time", "", iso);
  node.setAttribute("datetime", iso);
  return node;
}

function controlButtons(snap) {
  const failed = (snap.steps || []).find((s) => s.status === "failed");
  switch (snap.status) {
    case "pending":
    case "running":
      return [["pause", "Pause"], ["cancel", "Cancel"]];
    case "paused":
      return [["resume", "Resume"], ["cancel", "Cancel"]];
    case "approval":
      return [["cancel", "Cancel"]];
    case "failed": {
      const buttons = failed
        ? [["retry", `Retry step ${failed.order}`, failed.order], ["skip", `Skip step ${failed.order}`, failed.order]]
        : [];
      return [...buttons, ["restart", "Restart"]];
    }
    case "cancelled":
      return [["restart", "Restart"]];
    default:
      return [];
  }
}

function renderBar(percent) {
  const bar = $("bar");
  const filled = Math.floor((percent * BAR_WIDTH * 2 + 100) / 200);
  bar.setAttribute("aria-valuenow", String(percent));
  bar.querySelector(".bar-fill").textContent = "█".repeat(filled);
  bar.querySelector(".bar-empty").textContent = "░".repeat(BAR_WIDTH - filled);
  $("percent").textContent = `${percent}%`;
}

function renderSubsteps(step) {
  const list = $("substeps");
  const states = step ? substepStates(step) : [];
  list.replaceChildren(
    ...states.map(([label, state], index) => {
      const item = el("li", `sub state-${state}`);
      const branch = el("span", "branch", index === states.length - 1 ? "└─" : "├─");
      branch.setAttribute("aria-hidden", "true");
      item.append(branch, ` ${label} `, symbolNode(state));
      const note = noteNode(state);
      if (note) item.append(" ", note);
      return item;
    }),
  );
}

function renderSteps(snap) {
  $("steps").replaceChildren(
    ...(snap.steps || []).map((step) => {
      const item = el("li", `step state-${step.status}`);
      item.append(symbolNode(step.status), " ", el("span", "step-name", `Step ${step.order}: ${step.name}`));
      const note = noteNode(step.status);
      if (note) item.append(" ", note);
      item.append(" ", el("span", "step-pct", `${pct(step.progress)}%`));
      if (step.error) item.append(el("div", "step-error", step.error));
      return item;
    }),
  );
}

function renderControls(snap) {
  const box = $("controls");
  if (!view.canControl) return;
  box.replaceChildren(
    ...controlButtons(snap).map(([action, label, step]) => {
      const button = el("button", action === "cancel" ? "btn danger" : "btn", label);
      button.type = "button";
      button.dataset.action = action;
      if (step !== undefined) button.dataset.step = String(step);
      return button;
    }),
  );
}

function renderApproval(snap) {
  const section = $("approval");
  const approval = snap.approval;
  const pending = snap.status === "approval" && approval && approval.status === "pending";
  const wasHidden = section.hidden;
  section.hidden = !pending;
  if (!pending) {
    section.dataset.approvalId = "";
    return;
  }
  section.dataset.approvalId = String(approval.id);
  $("approval-step").textContent = String(approval.step);
  $("approval-prompt").textContent = approval.prompt || "";
  const who = $("approvers");
  if (who) who.textContent = (approval.approvers || []).join(", ");
  if (wasHidden && view.isApprover) section.querySelector("[data-decision]")?.focus();
}

function render(snap) {
  current = snap;
  const percent = pct(snap.progress);
  const step = currentStep(snap);
  const heading = step ? `Step ${step.order} of ${snap.total_steps}: ${step.name}` : "";
  $("title").textContent = snap.title;
  document.title = `${snap.title} · ${percent}% · Progress Bot`;
  const badge = $("status");
  badge.className = `badge state-${snap.status}`;
  badge.replaceChildren(symbolNode(snap.status), ` ${STATUS_WORDS[snap.status] || snap.status}`);
  $("done").hidden = snap.status !== "completed";
  $("done-text").textContent = `Your ${displayName(snap)} is ready!`;
  renderBar(percent);
  $("heading").textContent = heading;
  renderSubsteps(step);
  const error = snap.status === "failed" ? snap.error || "" : "";
  $("error").textContent = error;
  $("error").hidden = !error;
  renderTimes();
  renderApproval(snap);
  renderControls(snap);
  renderSteps(snap);
  const announcement =
    snap.status === "completed" ? `✅ Your ${displayName(snap)} is ready!` : `${percent}% complete. ${heading}. ${STATUS_WORDS[snap.status] || ""}`;
  if (announcement !== lastAnnounced) {
    lastAnnounced = announcement;
    $("announce").textContent = announcement;
  }
  scheduleHistory();
}

function renderTimes() {
  if (!current) return;
  const started = current.started_at ? Date.parse(current.started_at) : NaN;
  $("started").textContent = Number.isFinite(started) ? formatAgo((serverNow() - started) / 1000) : "not yet";
  const showEta = current.status === "running" || current.status === "pending";
  $("eta-row").hidden = !showEta;
  $("eta").textContent = showEta ? formatEtaShort(current.eta_seconds) : "";
}

function appendLog(message) {
  const item = el("li", `log level-${message.level || "info"}`);
  item.append(
    timeNode(new Date(serverNow()).toISOString()),
    " ",
    el("span", "level", message.level || "info"),
    ` ${message.step ? `[step ${message.step}] ` : ""}${message.message}`,
  );
  localizeTimes(item);
  $("logs").append(item);
  $("no-logs").hidden = true;
  while ($("logs").children.length > 500) $("logs").firstElementChild.remove();
}

let historyTimer = null;
function scheduleHistory() {
  clearTimeout(historyTimer);
  historyTimer = setTimeout(refreshHistory, 500);
}

async function refreshHistory() {
  try {
    const response = await fetch(`/web/tasks/${encodeURIComponent(view.taskId)}/history`, { credentials: "same-origin" });
    if (!response.ok) return;
    const data = await response.json();
    $("history").replaceChildren(
      ...(data.timeline || []).map((event) => {
        const item = el("li", `event kind-${event.kind}`);
        item.append(timeNode(event.at), " ", el("span", "what", event.text));
        return item;
      }),
    );
    localizeTimes($("history"));
  } catch {
    // The table catches up on the next change.
  }
}

// ---------------------------------------------------------------- desktop notifications

function setUpNotifications() {
  const button = $("notify");
  if (!("Notification" in window) || Notification.permission !== "default") return;
  button.hidden = false;
  button.addEventListener("click", async () => {
    const answer = await Notification.requestPermission();
    button.hidden = true;
    say(answer === "granted" ? "Desktop notifications are on." : "Desktop notifications stay off.");
  });
}

function notify(text) {
  if (!("Notification" in window) || Notification.permission !== "granted" || !document.hidden) return;
  new Notification(text, { tag: `progressbot-${view.taskId}` });
}

function notifyFor(message) {
  const name = current ? displayName(current) : "task";
  if (message.type === "approval_needed") notify(`⚠️ Approval required for Step ${message.step}`);
  else if (message.type === "task_complete") notify(`✅ Your ${name} is ready!`);
  else if (message.type === "task_failed") notify(message.step ? `❌ Task failed at Step ${message.step}` : "❌ Task failed");
}

// ---------------------------------------------------------------- buttons

function say(text) {
  $("message").textContent = text;
}

async function press(path, body, button) {
  button.disabled = true;
  try {
    const response = await fetch(path, {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-Progressbot-CSRF": csrf },
      body: JSON.stringify(body),
    });
    const data = await response.json().catch(() => ({}));
    if (!response.ok) {
      say(data.error?.message ? `Could not do that: ${data.error.message}` : `Could not do that (${response.status}).`);
      return;
    }
    if (data.restarted_from && data.task_id !== view.taskId) {
      location.assign(`/tasks/${encodeURIComponent(data.task_id)}`);
      return;
    }
    say("");
    render(data);
  } catch {
    say("Could not reach the server; try again in a moment.");
  } finally {
    button.disabled = false;
  }
}

$("controls").addEventListener("click", (event) => {
  const button = event.target.closest("button[data-action]");
  if (!button) return;
  const action = button.dataset.action;
  if (action === "cancel" && !window.confirm("Cancel this task?")) return;
  const task = encodeURIComponent(view.taskId);
  const path = button.dataset.step ? `/web/tasks/${task}/steps/${button.dataset.step}/${action}` : `/web/tasks/${task}/${action}`;
  press(path, {}, button);
});

$("approval").addEventListener("click", (event) => {
  const button = event.target.closest("button[data-decision]");
  if (!button) return;
  const id = $("approval").dataset.approvalId;
  const reason = $("reason")?.value.trim() || null;
  press(`/web/approvals/${encodeURIComponent(id)}/${button.dataset.decision}`, { reason }, button);
});

// ---------------------------------------------------------------- live updates

let attempt = 0;
let retryTimer = null;

function connect() {
  const scheme = location.protocol === "https:" ? "wss:" : "ws:";
  const query = linkToken ? `?t=${encodeURIComponent(linkToken)}` : "";
  const socket = new WebSocket(`${scheme}//${location.host}/ws/tasks/${encodeURIComponent(view.taskId)}${query}`);
  socket.addEventListener("open", () => {
    attempt = 0;
    $("connection").textContent = "";
    main.classList.remove("offline");
  });
  socket.addEventListener("message", (event) => {
    let message;
    try {
      message = JSON.parse(event.data);
    } catch {
      return;
    }
    if (message.type === "snapshot" && message.task) render(message.task);
    else if (message.type === "log") appendLog(message);
    else if (message.type === "restarted" && message.new_task_id) say("This task was restarted as a new run.");
    notifyFor(message);
  });
  socket.addEventListener("close", () => {
    main.classList.add("offline");
    $("connection").textContent = "Disconnected — reconnecting…";
    const delay = Math.min(MAX_BACKOFF_MS, 1000 * 2 ** attempt);
    attempt += 1;
    clearTimeout(retryTimer);
    retryTimer = setTimeout(connect, delay);
  });
}

$("zone").textContent = zoneName ? `Times in your time zone: ${zoneName}.` : "Times in your time zone.";
localizeTimes(document);
setUpNotifications();
setInterval(renderTimes, 15000);
connect();
