/*
 * NATO fact-check chat widget. Talks to the Rasa server over Rasa's socket.io channel
 * through the vendored socket.io-client (window.io). No other dependencies.
 * How it works, the embed snippet and the security rules: docs/widget.md.
 *
 * Safety rule for this file: message text only ever reaches the page through
 * textContent and createElement; links are <a> elements built from https URLs.
 * Never use innerHTML, insertAdjacentHTML or document.write here.
 */
(function () {
  "use strict";

  var script = document.currentScript;
  if (!script) { return; }

  var MAX_STORED = 100;
  var MAX_CHARS = 1000;
  var REPLY_WAIT_MS = 45000;
  var ID_WORDS = /(Article|Resolution|No\.|Number|PE|Artikel|article|résolution|Resolution|статья|статті|стаття|резолюция|резолюція)\s$/i;

  // Interface strings: English is built in (the widget must speak even when the server is
  // down); the server's /widget/strings.json adds every language the bot speaks
  // (responses/widget.yml and responses/i18n/<lang>.yml). The widget follows the language
  // of the bot's replies, and the language menu switches it.
  var STRINGS = { en: {
    title: "NATO fact-check", subtitle: "Facts with numbered sources", new_chat: "New chat",
    new_chat_title: "Start a new conversation", close_label: "Close the chat", retry: "Retry now",
    conversation_label: "Conversation", input_label: "Your message",
    placeholder: "Paste a claim, e.g. NATO is encircling Russia", send: "Send",
    footer: "Answers come from published sources; check them via the links. Please do not share personal data.",
    launcher: "Fact-check a claim", you_said: "You said: ", bot_said: "Fact-check bot: ",
    suggested: "Suggested replies", sources_title: "Sources", pending: "Not sent yet: waiting for the connection.",
    no_answer: "No answer yet. The bot may be busy: please try again in a moment.",
    no_library: "The chat could not load its connection library (socket.io.min.js).",
    connecting: "Connecting to the fact-check bot…", connected_again: "Connected again.",
    unreachable: "Can't reach the fact-check bot right now. Retrying automatically.",
    trying: "Trying to reach the fact-check bot…", attempt: "(attempt {n})", language_label: "Language"
  } };
  var LANGUAGE_NAMES = { en: "English" };
  var MONTH_NAMES = ["January", "February", "March", "April", "May", "June", "July", "August", "September",
    "October", "November", "December"];
  var MONTHS = monthPattern(MONTH_NAMES);
  var lang = "en";

  function monthPattern(names) {
    var escaped = names.map(function (n) { return n.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"); });
    return new RegExp("^\\s(" + escaped.join("|") + ")", "i");
  }

  function t(key) {
    var own = STRINGS[lang] || {};
    return typeof own[key] === "string" ? own[key] : STRINGS.en[key];
  }

  var scriptUrl = new URL(script.src, document.baseURI);
  var server = (script.getAttribute("data-server") || scriptUrl.origin).replace(/\/+$/, "");
  var settings = {
    server: server,
    container: script.getAttribute("data-container"),
    title: script.getAttribute("data-title"),
    lang: script.getAttribute("data-lang") || (document.documentElement.lang || "en").slice(0, 2).toLowerCase(),
    initPayload: script.hasAttribute("data-init-payload") ? script.getAttribute("data-init-payload") : "/greet",
    autofocus: script.hasAttribute("data-autofocus"),
    storageKey: "nato-factcheck:" + server
  };

  var uid = 0;
  function nextId(prefix) { uid += 1; return "fc-" + prefix + "-" + uid; }

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) { node.className = className; }
    if (text !== undefined && text !== null) { node.textContent = text; }
    return node;
  }

  function hidden(text) { return el("span", "fc-visually-hidden", text); }

  // ---- storage: the conversation survives a reload of this tab --------------------------
  var store = (function () {
    var memory = null;
    function backend() {
      try { return window.sessionStorage; } catch (e) { return null; }
    }
    return {
      load: function () {
        var s = backend();
        try {
          var raw = s ? s.getItem(settings.storageKey) : memory;
          var data = raw ? JSON.parse(raw) : null;
          if (data && Array.isArray(data.messages)) { return data; }
        } catch (e) { /* unreadable: start afresh */ }
        return { sessionId: null, messages: [] };
      },
      save: function (data) {
        var raw = JSON.stringify({ sessionId: data.sessionId, messages: data.messages.slice(-MAX_STORED) });
        var s = backend();
        try { if (s) { s.setItem(settings.storageKey, raw); return; } } catch (e) { /* full or blocked */ }
        memory = raw;
      }
    };
  })();

  // ---- turning a bot reply into DOM nodes ------------------------------------------------
  function safeHttpsUrl(text) {
    try {
      var url = new URL(text);
      return url.protocol === "https:" ? url : null;
    } catch (e) { return null; }
  }

  function link(url, text, className) {
    var a = el("a", className, text);
    a.href = url.href;
    a.target = "_blank";
    a.rel = "noopener noreferrer";
    return a;
  }

  function isPlainNumber(text, raw, offset, match) {
    // dates and identifiers read better unhighlighted: years, "22 April", "Article 5"
    var before = raw.slice(Math.max(0, offset - 12), offset);
    var after = raw.slice(offset + match.length, offset + match.length + 12);
    if (/[\w.\-]$/.test(before) || /^[A-Za-z]/.test(after)) { return true; }
    if (/^(19|20)\d\d$/.test(text)) { return true; }
    return MONTHS.test(after) || ID_WORDS.test(before);
  }

  function trimUrl(text) {
    // leave off trailing punctuation, and a ")" that closes a parenthesis around the URL
    var url = text.replace(/[.,;:!?\]]+$/, "");
    while (/\)$/.test(url) && (url.match(/\(/g) || []).length < (url.match(/\)/g) || []).length) {
      url = url.slice(0, -1).replace(/[.,;:!?\]]+$/, "");
    }
    return url;
  }

  // https URLs, citation markers like [1] or [1, 2], and numbers such as 11%, 40,000, 32
  var INLINE = /(https:\/\/[^\s<>"']+)|\[(\d+(?:,\s?\d+)*)\]|(\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)(\s?%|\s?per ?cent)?/g;

  function appendInline(parent, raw, sources) {
    var last = 0;
    var m;
    INLINE.lastIndex = 0;
    while ((m = INLINE.exec(raw)) !== null) {
      var start = m.index;
      var token = m[0];
      var node = null;
      if (m[1]) {
        var trimmed = trimUrl(m[1]);
        var url = safeHttpsUrl(trimmed);
        if (url) {
          token = trimmed;
          node = link(url, trimmed, "fc-url");
        }
      } else if (m[2]) {
        node = el("span", "fc-cite");
        node.appendChild(document.createTextNode("["));
        m[2].split(/,\s?/).forEach(function (n, i) {
          if (i > 0) { node.appendChild(document.createTextNode(", ")); }
          var source = sources[n];
          if (source) {
            var a = link(source.url, n, "fc-cite-link");
            a.setAttribute("aria-label", "source " + n + ": " + source.label);
            a.title = source.label;
            node.appendChild(a);
          } else {
            node.appendChild(document.createTextNode(n));
          }
        });
        node.appendChild(document.createTextNode("]"));
      } else if (m[3] && (m[4] || !isPlainNumber(m[3], raw, start, token))) {
        node = el("strong", "fc-num", token);
      }
      if (!node) { continue; }
      if (start > last) { parent.appendChild(document.createTextNode(raw.slice(last, start))); }
      parent.appendChild(node);
      last = start + token.length;
      INLINE.lastIndex = last;
    }
    if (last < raw.length) { parent.appendChild(document.createTextNode(raw.slice(last))); }
  }

  var CITATION = /^\[(\d+)\]\s+(.+?):\s+(https:\/\/\S+)\s*$/;

  // A sources block, in any language: a heading line ending in ":" ("Sources:",
  // "Источники (на английском языке):"), then "[n] label: https://..." lines.
  function isSourcesBlock(block) {
    var lines = block.replace(/^\n+/, "").split("\n");
    return lines.length > 1 && /:\s*$/.test(lines[0]) && CITATION.test(lines[1].trim());
  }

  function parseSources(blocks) {
    var sources = {};
    blocks.forEach(function (block) {
      if (!isSourcesBlock(block)) { return; }
      block.split("\n").slice(1).forEach(function (line) {
        var m = CITATION.exec(line.trim());
        var url = m && safeHttpsUrl(m[3]);
        if (url) { sources[m[1]] = { label: m[2], url: url }; }
      });
    });
    return sources;
  }

  function renderSources(block, sources) {
    var box = el("div", "fc-sources");
    var heading = block.replace(/^\n+/, "").split("\n")[0].replace(/:\s*$/, "");
    box.appendChild(el("p", "fc-sources-title", heading || t("sources_title")));
    var list = el("ol", "fc-sources-list");
    block.split("\n").slice(1).forEach(function (line) {
      var li = el("li", "fc-source");
      var m = CITATION.exec(line.trim());
      var source = m && sources[m[1]];
      if (source) {
        li.appendChild(el("span", "fc-source-n", "[" + m[1] + "]"));
        var a = link(source.url, source.label, "fc-source-link");
        li.appendChild(a);
        li.appendChild(el("span", "fc-source-host", source.url.hostname.replace(/^www\./, "")));
      } else {
        appendInline(li, line, sources);
      }
      list.appendChild(li);
    });
    box.appendChild(list);
    return box;
  }

  function renderParagraph(line, sources) {
    var p = el("p", "fc-p");
    var number = /^\[(\d+)\]\s+/.exec(line);  // "[1] Publisher, ..." in the sources reply
    if (number) {
      p.appendChild(el("span", "fc-source-n", "[" + number[1] + "]"));
      line = line.slice(number[0].length);
    }
    var label = /^(\p{Lu}[\p{L}' ]{2,30}):\s/u.exec(line);
    if (label && !/^https?$/i.test(label[1])) {
      p.appendChild(el("strong", "fc-label", label[1] + ":"));
      p.appendChild(document.createTextNode(" "));
      line = line.slice(label[0].length);
    }
    appendInline(p, line, sources);
    return p;
  }

  function renderBotText(container, text) {
    var blocks = String(text).replace(/\r\n?/g, "\n").split(/\n[ \t]*\n/);
    var sources = parseSources(blocks);
    blocks.forEach(function (block) {
      block = block.replace(/^\n+|\s+$/g, "");
      if (!block) { return; }
      if (isSourcesBlock(block)) { container.appendChild(renderSources(block, sources)); return; }
      var list = null;
      block.split("\n").forEach(function (line) {
        var item = /^\s*[-•]\s+(.*)$/.exec(line);
        if (item) {
          if (!list) { list = el("ul", "fc-points"); container.appendChild(list); }
          var li = el("li");
          appendInline(li, item[1], sources);
          list.appendChild(li);
        } else if (line.trim()) {
          list = null;
          container.appendChild(renderParagraph(line.trim(), sources));
        }
      });
    });
  }

  // ---- the widget --------------------------------------------------------------------
  function Widget(host, floating) {
    this.floating = floating;
    this.state = store.load();
    this.socket = null;
    this.ready = false;
    this.wasOffline = false;
    this.pending = [];
    this.replyTimer = null;
    this.build(host);
    this.renderHistory();
    this.loadStrings();
    this.connect();
  }

  Widget.prototype.build = function (host) {
    var self = this;
    var titleId = nextId("title");
    var inputId = nextId("input");
    var root = el("section", "fc-widget" + (this.floating ? " fc-floating-panel" : ""));
    root.setAttribute("aria-labelledby", titleId);
    this.root = root;

    var header = el("header", "fc-header");
    var heading = el("div", "fc-heading");
    this.ui = [];
    heading.appendChild(this.label(el("h2", "fc-title"), settings.title ? null : "title", settings.title)).id = titleId;
    heading.appendChild(this.label(el("p", "fc-subtitle"), "subtitle"));
    header.appendChild(heading);
    this.languages = el("select", "fc-language");
    this.label(this.languages, null, null, { "aria-label": "language_label", title: "language_label" });
    this.languages.addEventListener("change", function () { self.chooseLanguage(self.languages.value); });
    this.languages.hidden = true;
    header.appendChild(this.languages);
    var restart = this.label(el("button", "fc-header-button"), "new_chat", null, { title: "new_chat_title" });
    restart.type = "button";
    restart.addEventListener("click", function () { self.restart(); });
    header.appendChild(restart);
    if (this.floating) {
      var close = el("button", "fc-header-button fc-close", "\u00d7");
      close.type = "button";
      this.label(close, null, null, { "aria-label": "close_label" });
      close.addEventListener("click", function () { self.setOpen(false); });
      header.appendChild(close);
    }
    root.appendChild(header);

    // the live region stays in the accessibility tree (never display:none), so that
    // screen readers announce what is written into it
    this.status = el("div", "fc-status");
    this.statusText = el("span", "fc-status-text");
    this.statusText.setAttribute("role", "status");
    this.retry = this.label(el("button", "fc-status-button"), "retry");
    this.retry.type = "button";
    this.retry.hidden = true;
    this.retry.addEventListener("click", function () { self.retryNow(); });
    // retry progress is shown but not announced: it changes every few seconds
    this.statusDetail = el("span", "fc-status-detail");
    this.status.appendChild(this.statusText);
    this.status.appendChild(this.statusDetail);
    this.status.appendChild(this.retry);
    root.appendChild(this.status);

    this.log = el("div", "fc-log");
    this.log.setAttribute("role", "log");
    this.log.setAttribute("aria-live", "polite");
    this.label(this.log, null, null, { "aria-label": "conversation_label" });
    this.log.tabIndex = 0;
    root.appendChild(this.log);

    this.typing = el("div", "fc-typing");
    this.typing.setAttribute("aria-hidden", "true");
    this.typing.hidden = true;
    for (var i = 0; i < 3; i += 1) { this.typing.appendChild(el("span", "fc-dot")); }
    root.appendChild(this.typing);

    var form = el("form", "fc-form");
    form.noValidate = true;
    var label = this.label(el("label", "fc-visually-hidden"), "input_label");
    label.htmlFor = inputId;
    this.input = el("input", "fc-input");
    this.input.id = inputId;
    this.input.type = "text";
    this.input.autocomplete = "off";
    this.input.maxLength = MAX_CHARS;
    this.label(this.input, null, null, { placeholder: "placeholder" });
    var send = this.label(el("button", "fc-send"), "send");
    send.type = "submit";
    form.appendChild(label);
    form.appendChild(this.input);
    form.appendChild(send);
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      var text = self.input.value.trim();
      if (!text) { self.input.focus(); return; }
      self.input.value = "";
      self.sendUser(text, text);
    });
    root.appendChild(form);
    root.appendChild(this.label(el("p", "fc-footnote"), "footer"));

    if (this.floating) {
      var launcher = this.label(el("button", "fc-launcher"), "launcher");
      launcher.type = "button";
      launcher.setAttribute("aria-expanded", "false");
      root.id = nextId("panel");
      launcher.setAttribute("aria-controls", root.id);
      launcher.addEventListener("click", function () { self.setOpen(root.hidden); });
      root.addEventListener("keydown", function (event) {
        if (event.key === "Escape") { self.setOpen(false); }
      });
      root.hidden = true;
      this.launcher = launcher;
      var wrap = el("div", "fc-floating");
      wrap.appendChild(root);
      wrap.appendChild(launcher);
      host.appendChild(wrap);
    } else {
      host.appendChild(root);
    }
  };

  // an interface node whose text (key) and attributes ({attr: key}) follow the language
  Widget.prototype.label = function (node, key, fixed, attrs) {
    var entry = { node: node, key: key, attrs: attrs || {} };
    if (fixed) { node.textContent = fixed; }
    this.ui.push(entry);
    this.relabel(entry);
    return node;
  };

  Widget.prototype.relabel = function (entry) {
    if (entry.key) { entry.node.textContent = t(entry.key); }
    Object.keys(entry.attrs).forEach(function (attr) {
      if (attr === "placeholder" || attr === "title") { entry.node[attr] = t(entry.attrs[attr]); }
      else { entry.node.setAttribute(attr, t(entry.attrs[attr])); }
    });
  };

  Widget.prototype.setLanguage = function (code) {
    if (!STRINGS[code] || code === lang) { return; }
    lang = code;
    this.root.setAttribute("lang", code);
    this.ui.forEach(this.relabel, this);
    this.languages.value = code;
    if (this.state.language !== code) { this.state.language = code; store.save(this.state); }
  };

  Widget.prototype.chooseLanguage = function (code) {
    if (!LANGUAGE_NAMES[code]) { return; }
    this.setLanguage(code);
    this.sendUser(LANGUAGE_NAMES[code], "/switch_language{\"language\":\"" + code + "\"}");
  };

  // every language the bot speaks, from the server; the widget keeps English if it fails
  Widget.prototype.loadStrings = function () {
    var self = this;
    if (typeof window.fetch !== "function") { return; }
    window.fetch(settings.server + "/widget/strings.json", { credentials: "omit" })
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (data) {
        if (!data || typeof data.languages !== "object") { return; }
        var months = MONTH_NAMES.slice();
        Object.keys(data.languages).forEach(function (code) {
          var entry = data.languages[code] || {};
          if (typeof entry.strings === "object") { STRINGS[code] = entry.strings; }
          if (typeof entry.name === "string") { LANGUAGE_NAMES[code] = entry.name; }
          (entry.months || []).forEach(function (m) { if (typeof m === "string") { months.push(m); } });
        });
        MONTHS = monthPattern(months);
        self.languages.textContent = "";
        Object.keys(LANGUAGE_NAMES).forEach(function (code) {
          var option = el("option", null, LANGUAGE_NAMES[code]);
          option.value = code;
          self.languages.appendChild(option);
        });
        self.languages.hidden = Object.keys(LANGUAGE_NAMES).length < 2;
        self.setLanguage(self.state.language || settings.lang);
        self.languages.value = lang;
      })
      .catch(function () { /* offline: English stays */ });
  };

  Widget.prototype.setOpen = function (open) {
    this.root.hidden = !open;
    this.launcher.setAttribute("aria-expanded", open ? "true" : "false");
    if (open) { this.scrollToEnd(); this.input.focus(); } else { this.launcher.focus(); }
  };

  Widget.prototype.setStatus = function (text, offline, detail) {
    if (this.statusText.textContent !== (text || "")) { this.statusText.textContent = text || ""; }
    this.statusDetail.textContent = detail || "";
    this.status.classList.toggle("fc-status-offline", !!offline);
    this.status.classList.toggle("fc-status-shown", !!text);
    this.retry.hidden = !offline;
  };

  // ---- messages ----------------------------------------------------------------------
  Widget.prototype.addMessage = function (message, withButtons) {
    var bubble = el("div", "fc-msg fc-msg-" + message.from);
    bubble.appendChild(hidden(t(message.from === "user" ? "you_said" : "bot_said")));
    var body = el("div", "fc-msg-body");
    if (message.from === "user") {
      body.appendChild(el("p", "fc-p", message.text));
    } else {
      renderBotText(body, message.text || "");
    }
    bubble.appendChild(body);
    if (message.from === "bot" && withButtons && message.buttons && message.buttons.length) {
      bubble.appendChild(this.renderButtons(message.buttons));
    }
    this.log.appendChild(bubble);
    return bubble;
  };

  Widget.prototype.renderButtons = function (buttons) {
    var self = this;
    var group = el("div", "fc-chips");
    group.setAttribute("role", "group");
    group.setAttribute("aria-label", t("suggested"));
    buttons.forEach(function (b) {
      if (!b || typeof b.title !== "string" || typeof b.payload !== "string") { return; }
      var chip = el("button", "fc-chip", b.title);
      chip.type = "button";
      chip.addEventListener("click", function () { self.sendUser(b.title, b.payload); });
      group.appendChild(chip);
    });
    return group;
  };

  Widget.prototype.removeButtons = function () {
    var groups = this.log.querySelectorAll(".fc-chips");
    for (var i = 0; i < groups.length; i += 1) { groups[i].parentNode.removeChild(groups[i]); }
  };

  Widget.prototype.renderHistory = function () {
    var messages = this.state.messages;
    var lastUser = -1;
    messages.forEach(function (m, i) { if (m.from === "user") { lastUser = i; } });
    for (var i = 0; i < messages.length; i += 1) {
      var bubble = this.addMessage(messages[i], i > lastUser);
      if (messages[i].pending) {
        // typed while offline before a reload: send it once connected
        this.markPending(bubble, true);
        this.pending.push({ payload: messages[i].payload || messages[i].text, message: messages[i], bubble: bubble });
      }
    }
    this.scrollToEnd();
  };

  Widget.prototype.remember = function (message) {
    this.state.messages.push(message);
    if (this.state.messages.length > MAX_STORED) { this.state.messages.splice(0, this.state.messages.length - MAX_STORED); }
    store.save(this.state);
  };

  Widget.prototype.markPending = function (bubble, on) {
    var note = bubble.querySelector(".fc-pending-note");
    if (on && !note) {
      bubble.classList.add("fc-pending");
      bubble.appendChild(el("p", "fc-pending-note", t("pending")));
    } else if (!on && note) {
      bubble.classList.remove("fc-pending");
      note.parentNode.removeChild(note);
    }
  };

  Widget.prototype.sendUser = function (shown, payload) {
    this.removeButtons();
    var message = { from: "user", text: shown };
    var bubble = this.addMessage(message, false);
    this.lastUserBubble = bubble;
    this.scrollTo(bubble);
    this.input.focus();
    if (this.ready) {
      this.remember(message);
      this.emit(payload);
    } else {
      message.pending = true;
      message.payload = payload;
      this.remember(message);
      this.pending.push({ payload: payload, message: message, bubble: bubble });
      this.markPending(bubble, true);
    }
  };

  Widget.prototype.emit = function (payload) {
    var self = this;
    this.socket.emit("user_uttered", { message: payload, session_id: this.state.sessionId });
    this.typing.hidden = false;
    clearTimeout(this.replyTimer);
    this.replyTimer = setTimeout(function () {
      self.typing.hidden = true;
      self.setStatus(t("no_answer"), false);
    }, REPLY_WAIT_MS);
  };

  Widget.prototype.flushPending = function () {
    var queue = this.pending;
    this.pending = [];
    for (var i = 0; i < queue.length; i += 1) {
      delete queue[i].message.pending;
      delete queue[i].message.payload;
      this.markPending(queue[i].bubble, false);
      this.emit(queue[i].payload);
    }
    store.save(this.state);
  };

  Widget.prototype.receive = function (data) {
    if (!data || typeof data !== "object") { return; }
    var text = typeof data.text === "string" ? data.text : "";
    var raw = Array.isArray(data.quick_replies) ? data.quick_replies : (Array.isArray(data.buttons) ? data.buttons : []);
    var buttons = raw.filter(function (b) { return b && typeof b.title === "string" && typeof b.payload === "string"; })
      .map(function (b) { return { title: b.title, payload: b.payload }; });
    if (!text && !buttons.length) { return; }
    clearTimeout(this.replyTimer);
    this.typing.hidden = true;
    if (this.statusText.textContent && !this.status.classList.contains("fc-status-offline")) { this.setStatus(""); }
    var message = { from: "bot", text: text, buttons: buttons };
    if (typeof data.language === "string") { this.setLanguage(data.language); }
    this.remember(message);
    var bubble = this.addMessage(message, true);
    if (this.lastUserBubble) { this.scrollTo(this.lastUserBubble); } else { this.scrollTo(bubble); }
  };

  Widget.prototype.scrollTo = function (bubble) {
    this.log.scrollTop = Math.max(0, bubble.offsetTop - 8);
  };

  Widget.prototype.scrollToEnd = function () {
    this.log.scrollTop = this.log.scrollHeight;
  };

  // ---- connection ---------------------------------------------------------------------
  Widget.prototype.connect = function () {
    var self = this;
    if (typeof window.io !== "function") {
      this.setStatus(t("no_library"), true);
      this.retry.hidden = true;
      return;
    }
    this.setStatus(t("connecting"), false);
    var socket = window.io(settings.server, {
      path: "/socket.io",
      reconnectionDelay: 1000,
      reconnectionDelayMax: 10000,
      timeout: 10000
    });
    this.socket = socket;

    socket.on("connect", function () {
      socket.emit("session_request", { session_id: self.state.sessionId });
    });
    socket.on("session_confirm", function (sessionId) {
      var fresh = self.state.sessionId !== sessionId;
      self.state.sessionId = typeof sessionId === "string" ? sessionId : self.state.sessionId;
      store.save(self.state);
      self.ready = true;
      self.setStatus(self.wasOffline ? t("connected_again") : "", false);
      self.wasOffline = false;
      self.flushPending();
      if (fresh && !self.state.messages.length && settings.initPayload) {
        self.emit(settings.initPayload);
      }
    });
    socket.on("bot_uttered", function (data) { self.receive(data); });
    var attempts = 0;
    function offline() {
      self.ready = false;
      self.wasOffline = true;
      self.typing.hidden = true;
      clearTimeout(self.replyTimer);
      self.setStatus(t("unreachable"), true, attempts ? t("attempt").replace("{n}", String(attempts)) : "");
    }
    socket.on("connect_error", offline);
    socket.on("disconnect", function (reason) {
      if (reason !== "io client disconnect") { offline(); }
    });
    socket.io.on("reconnect_attempt", function (attempt) { attempts = attempt; });
    socket.io.on("reconnect", function () { attempts = 0; });
  };

  Widget.prototype.retryNow = function () {
    this.setStatus(t("trying"), true, "");
    this.socket.disconnect();
    this.socket.connect();
  };

  Widget.prototype.restart = function () {
    this.removeButtons();
    this.log.textContent = "";
    this.pending = [];
    this.lastUserBubble = null;
    this.state = { sessionId: null, messages: [] };
    store.save(this.state);
    if (this.ready) {
      this.ready = false;
      this.socket.emit("session_request", { session_id: null });
    }
    this.input.focus();
  };

  function start() {
    var host = settings.container ? document.querySelector(settings.container) : null;
    var widget = new Widget(host || document.body, !host);
    if (settings.autofocus && host) { widget.input.focus(); }
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
