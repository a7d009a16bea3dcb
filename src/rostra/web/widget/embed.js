// rostra reader widget. One script tag, no build step, no dependencies, no third-party requests:
//   <div id="rostra-comments"></div>
//   <script src="https://comments.example/embed.js" data-rostra-article="ID" async></script>
// Optional attributes: data-rostra-lang (the article's language, default <html lang>),
// data-rostra-ui-lang (the reader's language, default the article's), data-rostra-container
// (a CSS selector; default #rostra-comments, else a new element after the script).
// Everything a reader or author wrote is put into the page with textContent / text nodes only.
(() => {
  "use strict";
  const script =
    document.currentScript || document.querySelector("script[data-rostra-article]");
  if (!script) return;
  const articleId = script.dataset.rostraArticle;
  if (!articleId) return;

  const LANGS = ["en", "ar", "ckb", "kmr", "tr", "fa"];
  const RTL = new Set(["ar", "ckb", "fa"]);
  const PAGE = 20;
  const MAX_LEN = Number(script.dataset.rostraMaxLength) || 5000;
  const base = new URL(".", script.src || location.href);
  const api = new URL("api/v1/", base);
  const pick = (code) => {
    const c = String(code || "").toLowerCase().split(/[-_]/)[0];
    return LANGS.includes(c) ? c : null;
  };
  // The article's language: the publisher's attribute, else the article as rostra knows it,
  // else the host page's <html lang>. The reader's language defaults to the article's.
  let articleLang = pick(script.dataset.rostraLang);
  let uiLang = pick(script.dataset.rostraUiLang);
  const storeKey = `rostra:own:${base.origin}:${articleId}`;

  // ---- small DOM helper: strings become text nodes, never markup --------------------------
  function h(tag, attrs, ...children) {
    const el = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (v === null || v === undefined || v === false) continue;
      if (k.startsWith("on")) el.addEventListener(k.slice(2), v);
      else if (k === "text") el.textContent = v;
      else el.setAttribute(k, v === true ? "" : String(v));
    }
    for (const c of children.flat()) {
      if (c === null || c === undefined || c === false) continue;
      el.append(typeof c === "string" ? document.createTextNode(c) : c);
    }
    return el;
  }

  // ---- strings ------------------------------------------------------------------------------
  const cache = new Map();
  function loadStrings(lang) {
    if (!cache.has(lang)) {
      cache.set(
        lang,
        fetch(new URL(`widget/i18n/${lang}.json`, base)).then((r) => {
          if (!r.ok) throw new Error(`i18n ${lang}: ${r.status}`);
          return r.json();
        }),
      );
    }
    return cache.get(lang);
  }
  // Intl.PluralRules has no data for some of our languages (Kurmanji, sometimes Sorani) and then
  // answers "other" for everything; those languages use the one/other rule of CLDR for ku/ckb.
  function pluralRule(lang) {
    try {
      const rules = new Intl.PluralRules(lang);
      if (rules.resolvedOptions().locale.split("-")[0] === lang) return (n) => rules.select(n);
    } catch (_) {
      /* fall through */
    }
    return (n) => (n === 1 ? "one" : "other");
  }
  function makeT(S, lang) {
    const plural = pluralRule(lang);
    let numFmt;
    try {
      numFmt = new Intl.NumberFormat(lang);
    } catch (_) {
      numFmt = new Intl.NumberFormat("en");
    }
    const fill = (s, vars) =>
      String(s).replace(/\{(\w+)\}/g, (m, k) => (k in vars ? String(vars[k]) : m));
    const t = (key, vars = {}) => {
      let s = S[key];
      if (s && typeof s === "object") {
        const n = Number(vars.n ?? 0);
        s = s[plural(n)] ?? s.other;
        vars = { ...vars, n: numFmt.format(n) };
      }
      return fill(s ?? key, vars);
    };
    t.category = (c) => (S.categories && S.categories[c]) || c;
    t.error = (code) => (S.errors && typeof code === "string" && S.errors[code]) || "";
    t.list = (items) => items.join(S.list_sep || ", ");
    t.lang = lang;
    return t;
  }

  // "3 minutes ago" from Intl where the browser knows the language; Chromium has no relative
  // time data for Sorani or Kurmanji and would answer in English, so those use our strings.
  function relTime(iso, t) {
    // The API's timestamps are UTC; some come without an offset.
    const d = new Date(/[zZ]|[+-]\d\d:?\d\d$/.test(iso) ? iso : `${iso}Z`);
    if (Number.isNaN(d.getTime())) return "";
    const secs = Math.max(0, (Date.now() - d.getTime()) / 1000);
    let rtf = null;
    try {
      const f = new Intl.RelativeTimeFormat(t.lang, { numeric: "auto" });
      if (f.resolvedOptions().locale.split("-")[0] === t.lang) rtf = f;
    } catch (_) {
      /* no Intl data */
    }
    const steps = [[60, 1, "second", null], [3600, 60, "minute", "minutes_ago"],
      [86400, 3600, "hour", "hours_ago"], [2592000, 86400, "day", "days_ago"]];
    for (const [limit, size, unit, key] of steps) {
      if (secs < limit) {
        const n = Math.floor(secs / size);
        if (rtf) return rtf.format(-n, unit);
        return key ? t(key, { n }) : t("just_now");
      }
    }
    return d.toISOString().slice(0, 10);
  }

  // ---- own comments, kept across reloads ----------------------------------------------------
  function loadOwn() {
    try {
      const v = JSON.parse(localStorage.getItem(storeKey) || "[]");
      return Array.isArray(v) ? v : [];
    } catch (_) {
      return [];
    }
  }
  function saveOwn(list) {
    try {
      localStorage.setItem(storeKey, JSON.stringify(list));
    } catch (_) {
      /* private mode: the status is then only kept for this page view */
    }
  }

  // ---- HTTP ---------------------------------------------------------------------------------
  class HttpError extends Error {
    constructor(status, body, retryAfter) {
      super((body && (body.message || (body.error && body.error.message))) || `HTTP ${status}`);
      this.status = status;
      this.body = body || {};
      this.retryAfter = retryAfter;
    }
  }
  async function call(path, opts = {}) {
    const res = await fetch(new URL(path, api), {
      credentials: "omit",
      ...opts,
      headers: { Accept: "application/json", ...(opts.headers || {}) },
    });
    let body = null;
    try {
      body = await res.json();
    } catch (_) {
      body = null;
    }
    if (!res.ok) throw new HttpError(res.status, body, Number(res.headers.get("Retry-After")) || 0);
    return body;
  }
  const enc = encodeURIComponent;

  // ---- the widget ---------------------------------------------------------------------------
  // Shown when the widget cannot start (strings unreachable: a wrong ROSTRA_WIDGET_ORIGINS, the
  // server down, a blocked request). Localized when strings did load; English otherwise.
  const FALLBACK = { load_error: "The comments could not be loaded.", retry: "Try again" };
  function start() {
    let host = null;
    const sel = script.dataset.rostraContainer;
    if (sel) host = document.querySelector(sel);
    if (!host) host = document.getElementById("rostra-comments");
    if (!host) {
      host = document.createElement("div");
      script.after(host);
    }
    if (host.shadowRoot) return;
    boot(host.attachShadow({ mode: "open" }));
  }

  async function boot(root) {
    const sheet = h("link", { rel: "stylesheet", href: new URL("widget/widget.css", base).href });
    const shell = h("section", { class: "rostra", hidden: true });
    root.replaceChildren(sheet, shell);
    const cssReady = new Promise((resolve) => {
      sheet.addEventListener("load", resolve);
      sheet.addEventListener("error", resolve);
    });
    let t = null;
    try {
      if (!articleLang) {
        try {
          const article = await call(`articles/${enc(articleId)}`);
          articleLang = pick(article && article.language);
        } catch (_) {
          /* unknown article: the thread request below reports it */
        }
        articleLang = articleLang || pick(document.documentElement.lang) || "en";
      }
      uiLang = uiLang || articleLang;
      let S, G;
      try {
        [S, G] = await Promise.all([
          loadStrings(uiLang),
          loadStrings(articleLang).catch(() => null),
        ]);
      } catch (_) {
        S = await loadStrings("en");
        G = null;
      }
      t = makeT(S, uiLang);
      const gl = G ? makeT(G, articleLang) : t;
      await cssReady;
      render(root, shell, t, gl);
    } catch (_) {
      cache.clear(); // a retry fetches the strings again
      const say = (key) => {
        try {
          const text = t && t(key);
          if (text && text !== key) return text;
        } catch (_) {
          /* strings that loaded but are broken */
        }
        return FALLBACK[key];
      };
      const lang = t ? t.lang : "en";
      host_attrs(shell, { lang, dir: RTL.has(lang) ? "rtl" : "ltr" });
      shell.replaceChildren(
        h("div", { class: "load-error", role: "alert" },
          h("p", {}, say("load_error")),
          h("button", { type: "button", onclick: () => boot(root) }, say("retry"))),
      );
      shell.hidden = false;
    }
  }

  function render(root, shell, t, gl) {
    const dir = RTL.has(t.lang) ? "rtl" : "ltr";
    host_attrs(shell, { lang: t.lang, dir, "aria-labelledby": "rostra-title" });
    shell.hidden = false;
    let sort = "newest";
    let next = null;
    let total = 0;
    let replyTo = null;
    let own = loadOwn();
    let pollTimer = null;

    const status = h("div", { class: "status", role: "status", "aria-live": "polite" });
    const countEl = h("span", { class: "count" });
    const title = h("h2", { id: "rostra-title" }, t("comments"), " ", countEl);

    // form
    const nameIn = h("input", {
      id: "rostra-name", name: "author_name", autocomplete: "name", maxlength: 80, required: true,
    });
    const emailIn = h("input", {
      id: "rostra-email", name: "author_email", type: "email", autocomplete: "email",
    });
    const textIn = h("textarea", {
      id: "rostra-text", name: "text", rows: 5, maxlength: MAX_LEN, required: true,
      dir: "auto", "aria-describedby": "rostra-left rostra-form-msg",
    });
    const left = h("p", { id: "rostra-left", class: "hint" });
    const formMsg = h("p", { id: "rostra-form-msg", class: "form-msg", hidden: true });
    const replyNote = h("p", { class: "reply-note", hidden: true });
    const submit = h("button", { type: "submit", class: "primary" }, t("submit"));
    const form = h(
      "form",
      { class: "form", novalidate: true, "aria-labelledby": "rostra-form-title" },
      h("h3", { id: "rostra-form-title" }, t("form_title")),
      replyNote,
      h("label", { for: "rostra-name" }, t("name_label")),
      nameIn,
      h("label", { for: "rostra-email" }, t("email_label")),
      emailIn,
      h("label", { for: "rostra-text" }, t("text_label")),
      textIn,
      left,
      formMsg,
      submit,
    );
    const guidelines = h(
      "aside",
      {
        class: "guidelines", lang: gl.lang, dir: RTL.has(gl.lang) ? "rtl" : "ltr",
        "aria-labelledby": "rostra-guidelines-title",
      },
      h("h3", { id: "rostra-guidelines-title" }, gl("guidelines_title")),
      h("p", {}, gl("guidelines")),
    );
    const mineList = h("ul", { class: "mine-list" });
    const mine = h(
      "section",
      { class: "mine", "aria-labelledby": "rostra-mine-title", hidden: true },
      h("h3", { id: "rostra-mine-title" }, t("yours")),
      mineList,
    );
    const sortSel = h(
      "select",
      { id: "rostra-sort" },
      h("option", { value: "newest" }, t("sort_newest")),
      h("option", { value: "oldest" }, t("sort_oldest")),
    );
    const toolbar = h(
      "div",
      { class: "toolbar" },
      h("label", { for: "rostra-sort" }, t("sort_label")),
      sortSel,
    );
    const thread = h("ol", { class: "thread", "aria-labelledby": "rostra-title" });
    const empty = h("p", { class: "empty", hidden: true }, t("empty"));
    const more = h("button", { type: "button", class: "more", hidden: true }, t("load_more"));
    shell.append(
      title, status,
      h("div", { class: "compose" }, form, guidelines),
      mine, toolbar, empty, thread, more,
    );

    const say = (msg) => {
      // Re-setting the same text would not be announced again; clear first.
      status.textContent = "";
      setTimeout(() => (status.textContent = msg), 30);
    };
    const showFormMsg = (msg, kind) => {
      formMsg.textContent = msg;
      formMsg.className = `form-msg ${kind}`;
      formMsg.hidden = !msg;
      if (msg) say(msg);
    };
    const updateLeft = () => {
      left.textContent = t("chars_left", { n: MAX_LEN - textIn.value.length });
    };
    textIn.addEventListener("input", updateLeft);
    updateLeft();
    try {
      nameIn.value = localStorage.getItem("rostra:name") || "";
    } catch (_) {
      /* ignore */
    }

    // ---- thread ----
    function commentItem(c, depth) {
      const replies = Array.isArray(c.replies) ? c.replies : [];
      const when = c.created_at || c.approved_at || "";
      const isOwn = own.some((o) => String(o.id) === String(c.id));
      const actions = h("div", { class: "actions" });
      if (depth === 0) {
        actions.append(
          h("button", {
            type: "button", class: "link",
            onclick: () => startReply(c),
          }, t("reply")),
        );
      }
      const reportBtn = h("button", {
        type: "button", class: "link",
        onclick: async () => {
          reportBtn.disabled = true;
          try {
            await call(`comments/${enc(c.id)}/reports`, {
              method: "POST",
              headers: { "Content-Type": "application/json" },
              body: JSON.stringify({}),
            });
            reportBtn.replaceWith(h("span", { class: "hint" }, t("reported")));
            say(t("reported"));
          } catch (_) {
            reportBtn.disabled = false;
            say(t("error_network"));
          }
        },
      }, t("report"));
      actions.append(reportBtn);
      const repliesList = h("ol", { class: "replies" }, replies.map((r) => commentItem(r, depth + 1)));
      return h(
        "li",
        { class: "comment", id: `rostra-c-${c.id}`, "data-id": c.id },
        h(
          "article",
          { "aria-label": c.author_name || "" },
          h(
            "header",
            {},
            h("span", { class: "author", dir: "auto" }, String(c.author_name || "")),
            isOwn ? h("span", { class: "badge approved" }, t("status_approved")) : null,
            when ? h("time", { datetime: when }, relTime(when, t)) : null,
          ),
          h("p", { class: "text", dir: "auto" }, String(c.text || "")),
          actions,
          replies.length ? repliesList : null,
        ),
      );
    }

    // A sort change while a page is loading starts a new load; the older one's answer must
    // not be appended to the new list (it would mix two orders in one thread).
    let generation = 0;
    async function loadPage(reset) {
      if (reset) {
        next = null;
        thread.replaceChildren();
        say(t("loading"));
      }
      const mine = reset ? ++generation : generation;
      more.disabled = true;
      const q = new URLSearchParams({ sort, limit: String(PAGE) });
      if (next) q.set("cursor", next);
      try {
        const page = await call(`articles/${enc(articleId)}/comments?${q}`);
        if (mine !== generation) return;
        const data = Array.isArray(page && page.data) ? page.data : [];
        for (const c of data) thread.append(commentItem(c, 0));
        next = (page && page.next) || null;
        total = Number((page && page.count) || 0);
        countEl.textContent = `(${t("count", { n: total })})`;
        empty.hidden = thread.childElementCount > 0;
        more.hidden = !next;
        if (reset) say(t("count", { n: total }));
      } catch (_) {
        if (mine !== generation) return;
        const retry = h("button", { type: "button", onclick: () => loadPage(true) }, t("retry"));
        thread.replaceChildren(h("li", { class: "load-error" }, h("p", {}, t("load_error")), retry));
        say(t("load_error"));
      } finally {
        more.disabled = false;
      }
    }
    sortSel.addEventListener("change", () => {
      sort = sortSel.value === "oldest" ? "oldest" : "newest";
      loadPage(true);
    });
    more.addEventListener("click", () => loadPage(false));

    // ---- replying ----
    const cancelReply = h("button", {
      type: "button", class: "link", onclick: () => stopReply(true),
    }, t("cancel_reply"));
    function startReply(c) {
      replyTo = c;
      replyNote.replaceChildren(
        h("span", {}, t("replying_to", { name: "\u2068" + String(c.author_name || "") + "\u2069" })),
        " ",
        cancelReply,
      );
      replyNote.hidden = false;
      textIn.focus();
    }
    function stopReply(focus) {
      replyTo = null;
      replyNote.hidden = true;
      replyNote.replaceChildren();
      if (focus) textIn.focus();
    }

    // ---- own comments ----
    function ownItem(o) {
      const st = o.status || "pending";
      const parts = [
        h("span", { class: `badge ${st}` }, t(`status_${st}`)),
        h("p", { class: "text", dir: "auto" }, String(o.text || "")),
      ];
      if (st === "pending") parts.push(h("p", { class: "hint" }, t("status_pending_help")));
      if (st === "rejected") {
        const reasons = (o.reasons || []).map((r) => t.category(String(r)));
        parts.push(
          h("p", { class: "reason" },
            reasons.length ? t("rejected_because", { reasons: t.list(reasons) })
              : t("rejected_unspecified")),
        );
      }
      if (st !== "pending") {
        parts.push(h("button", {
          type: "button", class: "link",
          onclick: () => {
            own = own.filter((x) => x.id !== o.id);
            saveOwn(own);
            renderOwn();
          },
        }, t("dismiss")));
      }
      return h("li", { class: `own ${st}`, "data-id": o.id, "data-status": st }, parts);
    }
    function renderOwn() {
      mineList.replaceChildren(...own.map(ownItem));
      mine.hidden = own.length === 0;
    }
    async function refreshOwn() {
      let changed = false;
      for (const o of own) {
        if (o.status && o.status !== "pending") continue;
        try {
          const c = await call(`comments/${enc(o.id)}`, {
            headers: { "X-Author-Token": o.token },
          });
          const st = c && c.status;
          if (st && st !== o.status) {
            o.status = st;
            o.reasons = Array.isArray(c.reasons) ? c.reasons.map((r) => (typeof r === "string" ? r : r.category)) : [];
            changed = true;
            if (st === "approved") say(t("posted_published"));
            if (st === "rejected") say(t("status_rejected"));
          }
        } catch (e) {
          if (e instanceof HttpError && e.status === 404) {
            o.status = "gone";
            changed = true;
          }
        }
      }
      own = own.filter((o) => o.status !== "gone");
      if (changed) {
        saveOwn(own);
        renderOwn();
      }
      schedulePoll();
    }
    let pollDelay = 4000;
    function schedulePoll() {
      clearTimeout(pollTimer);
      if (!own.some((o) => !o.status || o.status === "pending")) return;
      pollTimer = setTimeout(refreshOwn, pollDelay);
      pollDelay = Math.min(pollDelay * 1.5, 60000);
    }

    // ---- posting ----
    form.addEventListener("submit", async (ev) => {
      ev.preventDefault();
      const text = textIn.value;
      const name = nameIn.value.trim();
      if (!name) {
        showFormMsg(t("error_empty_name"), "error");
        nameIn.focus();
        return;
      }
      if (!text.trim()) {
        showFormMsg(t("error_empty_text"), "error");
        textIn.focus();
        return;
      }
      const payload = { text, author_name: name };
      if (emailIn.value.trim()) payload.author_email = emailIn.value.trim();
      if (replyTo) payload.parent_id = replyTo.id;
      submit.disabled = true;
      showFormMsg("", "");
      say(t("posting"));
      try {
        const res = await call(`articles/${enc(articleId)}/comments`, {
          method: "POST",
          headers: { "Content-Type": "application/json" },
          body: JSON.stringify(payload),
        });
        const entry = {
          id: res.id,
          token: res.author_token,
          text,
          status: res.status || "pending",
          reasons: Array.isArray(res.reasons) ? res.reasons.map((r) => (typeof r === "string" ? r : r.category)) : [],
          at: new Date().toISOString(),
        };
        own = [entry, ...own.filter((o) => o.id !== entry.id)].slice(0, 50);
        saveOwn(own);
        try {
          localStorage.setItem("rostra:name", name);
        } catch (_) {
          /* ignore */
        }
        textIn.value = "";
        updateLeft();
        stopReply(false);
        renderOwn();
        showFormMsg(entry.status === "approved" ? t("posted_published")
          : entry.status === "rejected" ? t("status_rejected") : t("posted"), "ok");
        if (entry.status === "approved") loadPage(true);
        pollDelay = 4000;
        schedulePoll();
      } catch (e) {
        // The text stays in the box whatever happened.
        if (!(e instanceof HttpError)) showFormMsg(t("error_network"), "error");
        else if (e.status === 429) showFormMsg(t("error_rate", { n: e.retryAfter || 30 }), "error");
        else if (e.status >= 500) showFormMsg(t("error_server"), "error");
        else {
          // A known refusal in the reader's language; otherwise the server's own words.
          const known = t.error(e.body && e.body.code);
          showFormMsg(t("error_rejected_request", { message: known || e.message }), "error");
        }
        textIn.focus();
      } finally {
        submit.disabled = false;
      }
    });

    renderOwn();
    loadPage(true);
    refreshOwn();
  }

  function host_attrs(el, attrs) {
    for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, v);
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
