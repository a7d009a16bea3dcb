// rostra dashboard: keyboard-first moderation on top of server-rendered pages.
// j/k move, a approves, r opens the guideline picker (1-9, 0), u undoes, o opens the author,
// h the history, x selects for a bulk decision, ? shows help.
// A decision leaves the list at once and is sent when its undo window ends (UNDO_MS), when
// another decision is made, or when the page is left or hidden (fetch keepalive); u inside the
// window cancels it before anything is recorded. After the window, u reopens the comment: the
// next decision supersedes the recorded one (decisions are append-only).
// Writes go to /moderate/api with the session cookie and the service's X-CSRF-Token.
// Comment text is never read back into markup here: only textContent and classes change.

const $ = (sel, root = document) => root.querySelector(sel);
const $$ = (sel, root = document) => [...root.querySelectorAll(sel)];
const live = $("#live");
const stringsEl = $("#rostra-strings");
const S = stringsEl ? JSON.parse(stringsEl.textContent || "{}") : {};
const csrf = ($('meta[name="rostra-csrf"]') || {}).content || "";
const fill = (s, vars) => String(s || "").replace(/\{(\w+)\}/g, (m, k) => (k in vars ? String(vars[k]) : m));
const UNDO_MS = 5000;

// Plural entries arrive with all their CLDR forms; Intl.PluralRules picks one for the page's
// language. Where the browser has no rules for it (Sorani in some builds) CLDR's one/other.
const lang = document.documentElement.lang || "en";
const pluralRule = (() => {
  try {
    const rules = new Intl.PluralRules(lang);
    if (rules.resolvedOptions().locale.split("-")[0] === lang) return (n) => rules.select(n);
  } catch (_) {
    /* fall through */
  }
  return (n) => (n === 1 ? "one" : "other");
})();
function plural(forms, n) {
  if (!forms || typeof forms !== "object") return fill(forms, { n });
  return fill(forms[pluralRule(n)] ?? forms.other, { n });
}

function say(message) {
  if (!live) return;
  live.textContent = "";
  setTimeout(() => (live.textContent = message), 20);
}

// A message that survives the reload after a write on a server-rendered page.
const flash = sessionStorage.getItem("rostra:flash");
if (flash) {
  sessionStorage.removeItem("rostra:flash");
  say(flash);
}

class ApiError extends Error {
  constructor(status, message) {
    super(message);
    this.status = status;
  }
}

async function send(method, url, body, keepalive = false) {
  let res;
  try {
    res = await fetch(url, {
      method,
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", Accept: "application/json", "X-CSRF-Token": csrf },
      body: body === undefined ? undefined : JSON.stringify(body),
      keepalive, // a decision sent as the page goes away still arrives
    });
  } catch (_) {
    throw new ApiError(0, "network error");
  }
  let data = null;
  try {
    data = await res.json();
  } catch (_) {
    data = null;
  }
  if (!res.ok) {
    const msg = (data && data.message) || (data && data.error && data.error.message) || (data && data.detail) || `HTTP ${res.status}`;
    throw new ApiError(res.status, typeof msg === "string" ? msg : JSON.stringify(msg));
  }
  return data;
}

function failed(e) {
  if (e.status === 401) {
    say(S.session_expired);
    setTimeout(() => location.assign(`/moderate/login?next=${encodeURIComponent(location.pathname + location.search)}`), 1500);
    return;
  }
  say(fill(S.action_failed, { message: e.message }));
}

// ---- help overlay -------------------------------------------------------------------------
const help = $("#help");
function toggleHelp() {
  if (!help) return;
  if (help.open) help.close();
  else help.showModal();
}
for (const b of $$("[data-help-open]")) b.addEventListener("click", toggleHelp);

// ---- the queue ----------------------------------------------------------------------------
const items = $$(".queue > .item");
const single = !!$(".queue.single"); // the comment page: its one item stays in view
const pageDone = $(".page-done");
const toast = $("#toast");
let current = -1;
let pending = null; // the decision in its undo window: {targets, decision, reasonIds, timer}
const recorded = []; // decisions sent and recorded, newest last (u reopens them)
let picking = null; // {item, targets}

for (const el of items) {
  const state = $(".tag.state", el);
  el.dataset.label = state ? state.textContent : "";
}
const shown = (el) => !el.hidden;
function setCurrent(i, focus = true) {
  if (!items.length) return;
  i = Math.max(0, Math.min(items.length - 1, i));
  if (!shown(items[i])) {
    // Skip decided items: the nearest one still in the list, forwards first.
    let j = items.findIndex((el, k) => k > i && shown(el));
    if (j < 0) j = items.findLastIndex((el, k) => k < i && shown(el));
    if (j < 0) {
      current = -1;
      items.forEach((el) => el.classList.remove("current"));
      return;
    }
    i = j;
  }
  current = i;
  items.forEach((el, j) => el.classList.toggle("current", j === current));
  const el = items[current];
  if (focus) {
    el.focus({ preventScroll: true });
    el.scrollIntoView({ block: "nearest" });
  }
}
function step(delta) {
  for (let j = current + delta; j >= 0 && j < items.length; j += delta) {
    if (shown(items[j])) return setCurrent(j);
  }
}
const isDecided = (el) => el.classList.contains("decided-approve") || el.classList.contains("decided-reject");
function nextUndecided() {
  for (let j = current + 1; j < items.length; j++) if (shown(items[j]) && !isDecided(items[j])) return setCurrent(j);
  for (let j = 0; j < items.length; j++) if (shown(items[j]) && !isDecided(items[j])) return setCurrent(j);
  return setCurrent(current);
}
function updateDone() {
  if (!pageDone) return;
  pageDone.hidden = !items.length || items.some(shown);
}

const selected = () => items.filter((el) => el.classList.contains("selected"));
const bulkBar = $(".bulk");
function updateBulk() {
  if (!bulkBar) return;
  const n = selected().length;
  bulkBar.hidden = n === 0;
  $(".selcount", bulkBar).textContent = plural(S.selected, n);
}
function toggleSelect(el, on) {
  const want = on === undefined ? !el.classList.contains("selected") : on;
  el.classList.toggle("selected", want);
  const box = $(".sel", el);
  if (box) box.checked = want;
  updateBulk();
}

function markDecided(el, decision, reasons) {
  el.classList.remove("decided-approve", "decided-reject", "selected");
  el.classList.add(`decided-${decision}`);
  const box = $(".sel", el);
  if (box) box.checked = false;
  const out = $(".outcome", el);
  const state = $(".tag.state", el);
  const label = decision === "approve" ? S.status_approved : S.status_rejected;
  if (state) state.textContent = label;
  out.textContent = decision === "approve" ? S.done_approve : fill(S.done_reject, { reason: reasons.join(", ") });
  out.hidden = false;
  if (!single) el.hidden = true; // it leaves the list at once
}
// Back in the list, undecided on screen; ``label`` is the status tag to show.
function restore(el, note, label) {
  el.classList.remove("decided-approve", "decided-reject");
  el.hidden = false;
  const state = $(".tag.state", el);
  if (state && label !== undefined) state.textContent = label;
  const out = $(".outcome", el);
  out.textContent = note;
  out.hidden = false;
}
const setState = (targets, state) => targets.forEach((el) => (el.dataset.state = state));

function showToast(message) {
  if (!toast) return;
  $(".toast-text", toast).textContent = message;
  toast.hidden = false;
}
function hideToast() {
  if (toast) toast.hidden = true;
}

function decide(targets, decision, reasonIds, reasonNames) {
  if (!targets.length) return;
  commit(); // one decision waits at a time: the earlier one is sent now
  for (const el of targets) markDecided(el, decision, reasonNames);
  setState(targets, "waiting");
  const n = targets.length;
  const message = n > 1 ? plural(S.done_bulk, n)
    : decision === "approve" ? S.done_approve : fill(S.done_reject, { reason: reasonNames.join(", ") });
  pending = { targets, decision, reasonIds, timer: setTimeout(() => commit(), UNDO_MS) };
  showToast(message);
  say(message);
  updateBulk();
  updateDone();
  nextUndecided();
}

// Send the waiting decision (if any). Resolves when the server has answered: true when it
// was recorded (or nothing was waiting), false when it failed and the comments came back.
async function commit(keepalive = false) {
  const p = pending;
  if (!p) return true;
  pending = null;
  clearTimeout(p.timer);
  hideToast();
  const ids = p.targets.map((el) => Number(el.dataset.id));
  setState(p.targets, "sending");
  try {
    if (ids.length === 1) {
      await send("POST", `/moderate/api/comments/${ids[0]}/decisions`, { decision: p.decision, reasons: p.reasonIds }, keepalive);
    } else {
      await send("POST", "/moderate/api/decisions", { decision: p.decision, reasons: p.reasonIds, comment_ids: ids }, keepalive);
    }
  } catch (e) {
    // Not recorded: the comments come back so that nothing is silently lost.
    for (const el of p.targets) restore(el, fill(S.action_failed, { message: e.message }), el.dataset.label);
    setState(p.targets, "failed");
    updateDone();
    setCurrent(items.indexOf(p.targets[0]));
    failed(e);
    return false;
  }
  setState(p.targets, "sent");
  recorded.push(p);
  return true;
}

function undo() {
  if (pending) {
    // Inside the window: nothing was sent, so nothing is recorded.
    const p = pending;
    pending = null;
    clearTimeout(p.timer);
    hideToast();
    for (const el of p.targets) restore(el, S.undo_cancelled, el.dataset.label);
    setState(p.targets, "cancelled");
    updateDone();
    setCurrent(items.indexOf(p.targets[0]));
    say(S.undo_cancelled);
    return;
  }
  const last = recorded.pop();
  if (!last) {
    say(S.nothing_to_undo);
    return;
  }
  // Recorded already: reopen it here; the next decision supersedes it (the history keeps both).
  for (const el of last.targets) restore(el, S.undone);
  setState(last.targets, "reopened");
  updateDone();
  setCurrent(items.indexOf(last.targets[0]));
  say(S.undone);
}

// Leaving the page sends the waiting decision first. Links and forms of the page wait for the
// answer (so the next page already shows it); closing, reloading or hiding the tab sends it
// with keepalive.
function leaveThen(go) {
  if (!pending) return false;
  commit().then((ok) => ok && go());
  return true;
}
document.addEventListener("click", (ev) => {
  const a = ev.target instanceof Element ? ev.target.closest("a[href]") : null;
  if (!a || ev.defaultPrevented || ev.button !== 0 || ev.ctrlKey || ev.metaKey || ev.shiftKey || ev.altKey) return;
  if (a.target && a.target !== "_self") return;
  if (leaveThen(() => location.assign(a.href))) ev.preventDefault();
});
document.addEventListener("submit", (ev) => {
  const form = ev.target;
  if (!(form instanceof HTMLFormElement) || form.method === "dialog" || ev.defaultPrevented) return;
  if (form.classList.contains("ban-form") || form.classList.contains("note-form")) return;
  if (leaveThen(() => form.submit())) ev.preventDefault();
});
window.addEventListener("pagehide", () => commit(true));
document.addEventListener("visibilitychange", () => {
  if (document.visibilityState === "hidden") commit(true);
});
const go = (url) => {
  if (!leaveThen(() => location.assign(url))) location.assign(url);
};
if (toast) $("button[data-undo]", toast).addEventListener("click", undo);

function targetsFor(el) {
  const sel = selected();
  return sel.length ? sel : el ? [el] : [];
}

function openPicker(el) {
  const picker = $(".picker", el);
  if (!picker) return;
  closePicker(false);
  picking = { item: el, targets: targetsFor(el) };
  picker.hidden = false;
  $('[data-act="reject"]', el).setAttribute("aria-expanded", "true");
  const first = $("button[data-reason]", picker);
  if (first) first.focus();
}
function closePicker(refocus = true) {
  if (!picking) return;
  const { item } = picking;
  $(".picker", item).hidden = true;
  $('[data-act="reject"]', item).setAttribute("aria-expanded", "false");
  picking = null;
  if (refocus) item.focus();
}
function pickReason(button) {
  if (!picking) return;
  const { targets } = picking;
  const reason = button.dataset.reason;
  const name = button.textContent.replace(/^\s*\S+\s+/, "").trim();
  closePicker(false);
  decide(targets, "reject", [reason], [name]);
}

items.forEach((el, i) => {
  el.addEventListener("focusin", () => {
    if (current !== i) {
      current = i;
      items.forEach((x, j) => x.classList.toggle("current", j === i));
    }
  });
  $('[data-act="approve"]', el).addEventListener("click", () => {
    setCurrent(i, false);
    decide(targetsFor(el), "approve", [], []);
  });
  $('[data-act="reject"]', el).addEventListener("click", () => {
    setCurrent(i, false);
    openPicker(el);
  });
  for (const b of $$("button[data-reason]", el)) b.addEventListener("click", () => pickReason(b));
  const cancel = $("button[data-cancel]", el);
  if (cancel) cancel.addEventListener("click", () => closePicker());
  const box = $(".sel", el);
  if (box) box.addEventListener("change", () => toggleSelect(el, box.checked));
});
for (const b of $$("[data-bulk]")) {
  b.addEventListener("click", () => {
    const sel = selected();
    if (!sel.length) return;
    if (b.dataset.bulk === "approve") decide(sel, "approve", [], []);
    else openPicker(items[current] && items[current].classList.contains("selected") ? items[current] : sel[0]);
  });
}
if (items.length) setCurrent(0, false);

document.addEventListener("keydown", (ev) => {
  if (ev.ctrlKey || ev.metaKey || ev.altKey) return;
  // Letters typed into a text field are text, not shortcuts (checkboxes and buttons are fine).
  const target = ev.target || {};
  const typing =
    target.tagName === "TEXTAREA" || target.tagName === "SELECT" || target.isContentEditable ||
    (target.tagName === "INPUT" && !["checkbox", "radio", "button", "submit"].includes(target.type));
  if (typing) return;
  if (help && help.open) {
    if (ev.key === "?") {
      ev.preventDefault();
      toggleHelp();
    }
    return;
  }
  const key = ev.key;
  if (picking) {
    if (/^[0-9]$/.test(key)) {
      const b = $(`.picker button[data-key="${key}"]`, picking.item);
      if (b) {
        ev.preventDefault();
        pickReason(b);
      }
      return;
    }
    if (key === "Escape") {
      ev.preventDefault();
      closePicker();
    }
    return;
  }
  if (key === "?") {
    ev.preventDefault();
    toggleHelp();
    return;
  }
  if (key === "u" && items.length) {
    ev.preventDefault();
    undo();
    return;
  }
  if (!items.length || current < 0) return;
  const el = items[current];
  switch (key) {
    case "j":
      step(1);
      break;
    case "k":
      step(-1);
      break;
    case "a":
      decide(targetsFor(el), "approve", [], []);
      break;
    case "r":
      openPicker(el);
      break;
    case "x":
      toggleSelect(el);
      break;
    case "o":
      go(el.dataset.author);
      break;
    case "h":
      go(el.dataset.history);
      break;
    case "Escape":
      selected().forEach((s) => toggleSelect(s, false));
      break;
    default:
      return;
  }
  ev.preventDefault();
});

// ---- author page: bans and notes ----------------------------------------------------------
const reloadWith = (message) => {
  sessionStorage.setItem("rostra:flash", message);
  location.reload();
};
const banForm = $(".ban-form");
if (banForm) {
  banForm.addEventListener("submit", async (ev) => {
    ev.preventDefault();
    const days = banForm.elements.days.value;
    const note = banForm.elements.note.value.trim();
    try {
      await send("POST", `/moderate/api/authors/${banForm.dataset.author}/bans`, {
        days: days ? Number(days) : null,
        note: note || null,
      });
      reloadWith(S.banned_ok);
    } catch (e) {
      failed(e);
    }
  });
}
for (const b of $$("[data-unban]")) {
  b.addEventListener("click", async () => {
    try {
      await send("DELETE", `/moderate/api/authors/${b.dataset.unban}/bans`);
      reloadWith(S.unbanned_ok);
    } catch (e) {
      failed(e);
    }
  });
}
const noteForm = $(".note-form");
if (noteForm) {
  noteForm.addEventListener("submit", async (ev) => {
    ev.preventDefault();
    const note = noteForm.elements.note.value.trim();
    if (!note) return;
    try {
      await send("POST", `/moderate/api/authors/${noteForm.dataset.author}/notes`, { note });
      reloadWith(S.note_saved);
    } catch (e) {
      failed(e);
    }
  });
}
