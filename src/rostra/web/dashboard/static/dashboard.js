// rostra dashboard: keyboard-first moderation on top of server-rendered pages.
// j/k move, a approves, r opens the guideline picker (1-9, 0), u reopens the last decided
// comment, o opens the author, h the history, x selects for a bulk decision, ? shows help.
// Writes go to /moderate/api with the session cookie and the service's X-CSRF-Token.
// Comment text is never read back into markup here: only textContent and classes change.

const $ = (sel, root = document) => root.querySelector(sel);
const $$ = (sel, root = document) => [...root.querySelectorAll(sel)];
const live = $("#live");
const stringsEl = $("#rostra-strings");
const S = stringsEl ? JSON.parse(stringsEl.textContent || "{}") : {};
const csrf = ($('meta[name="rostra-csrf"]') || {}).content || "";
const fill = (s, vars) => String(s || "").replace(/\{(\w+)\}/g, (m, k) => (k in vars ? String(vars[k]) : m));

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

async function send(method, url, body) {
  let res;
  try {
    res = await fetch(url, {
      method,
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", Accept: "application/json", "X-CSRF-Token": csrf },
      body: body === undefined ? undefined : JSON.stringify(body),
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
let current = -1;
const undoStack = [];
let picking = null; // {item, ids}

function setCurrent(i, focus = true) {
  if (!items.length) return;
  current = Math.max(0, Math.min(items.length - 1, i));
  items.forEach((el, j) => el.classList.toggle("current", j === current));
  const el = items[current];
  if (focus) {
    el.focus({ preventScroll: true });
    el.scrollIntoView({ block: "nearest" });
  }
}
const isDecided = (el) => el.classList.contains("decided-approve") || el.classList.contains("decided-reject");
function nextUndecided() {
  for (let j = current + 1; j < items.length; j++) if (!isDecided(items[j])) return setCurrent(j);
  for (let j = 0; j < items.length; j++) if (!isDecided(items[j])) return setCurrent(j);
  return setCurrent(current);
}

const selected = () => items.filter((el) => el.classList.contains("selected"));
const bulkBar = $(".bulk");
function updateBulk() {
  if (!bulkBar) return;
  const n = selected().length;
  bulkBar.hidden = n === 0;
  $(".selcount", bulkBar).textContent = fill(n === 1 ? S.selected_one : S.selected_other, { n });
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
}

async function decide(targets, decision, reasonIds, reasonNames) {
  const ids = targets.map((el) => Number(el.dataset.id));
  try {
    if (ids.length === 1) {
      await send("POST", `/moderate/api/comments/${ids[0]}/decisions`, { decision, reasons: reasonIds });
    } else {
      await send("POST", "/moderate/api/decisions", { decision, reasons: reasonIds, comment_ids: ids });
    }
  } catch (e) {
    failed(e);
    return;
  }
  for (const el of targets) markDecided(el, decision, reasonNames);
  undoStack.push(targets);
  updateBulk();
  say(ids.length > 1 ? fill(ids.length === 1 ? S.done_bulk_one : S.done_bulk_other, { n: ids.length })
    : decision === "approve" ? S.done_approve : fill(S.done_reject, { reason: reasonNames.join(", ") }));
  nextUndecided();
}

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

function undo() {
  const last = undoStack.pop();
  if (!last) {
    say(S.nothing_to_undo);
    return;
  }
  // Decisions are append-only: the earlier one stays in the history. Reopening puts the
  // comment back in front of the moderator; the next decision supersedes the undone one.
  for (const el of last) {
    el.classList.remove("decided-approve", "decided-reject");
    const out = $(".outcome", el);
    out.textContent = S.undone;
  }
  setCurrent(items.indexOf(last[0]));
  say(S.undone);
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
  if (!items.length) return;
  const el = items[current];
  switch (key) {
    case "j":
      setCurrent(current + 1);
      break;
    case "k":
      setCurrent(current - 1);
      break;
    case "a":
      decide(targetsFor(el), "approve", [], []);
      break;
    case "r":
      openPicker(el);
      break;
    case "u":
      undo();
      break;
    case "x":
      toggleSelect(el);
      break;
    case "o":
      location.assign(el.dataset.author);
      break;
    case "h":
      location.assign(el.dataset.history);
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
