// Web chat widget for the Rasa socket.io channel (bot/custom/channels.py: WebChat). No framework, no CDN.
(function () {
  "use strict";
  var log = document.getElementById("log");
  var form = document.getElementById("composer");
  var input = document.getElementById("message");
  var status = document.getElementById("status");
  var socket = io(window.location.origin, { path: "/socket.io", transports: ["websocket", "polling"] });
  var sessionId = sessionStorage.getItem("cds-session") || null;

  function escapeHtml(s) {
    return String(s).replace(/[&<>"']/g, function (c) {
      return { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c];
    });
  }
  // A small, safe markdown subset: **bold**, _italic_, `code`, lists, paragraphs. HTML is escaped first.
  function inline(s) {
    return escapeHtml(s)
      .replace(/\*\*(.+?)\*\*/g, "<strong>$1</strong>")
      .replace(/(^|[\s(])_(.+?)_(?=[\s.,;:)!?]|$)/g, "$1<em>$2</em>")
      .replace(/`(.+?)`/g, "<code>$1</code>");
  }
  function markdown(text) {
    var html = [], list = null;
    String(text || "").split("\n").forEach(function (line) {
      var m = line.match(/^\s*(?:[-*]|(\d+)\.)\s+(.*)$/);
      if (m) {
        var kind = m[1] ? "ol" : "ul";
        if (list !== kind) { if (list) html.push("</" + list + ">"); html.push("<" + kind + ">"); list = kind; }
        html.push("<li>" + inline(m[2]) + "</li>");
      } else {
        if (list) { html.push("</" + list + ">"); list = null; }
        if (line.trim()) html.push("<p>" + inline(line) + "</p>");
      }
    });
    if (list) html.push("</" + list + ">");
    return html.join("");
  }
  function scroll() { log.scrollTop = log.scrollHeight; }
  function add(cls, html) {
    var div = document.createElement("div");
    div.className = "msg " + cls;
    div.innerHTML = html;
    log.appendChild(div);
    scroll();
    return div;
  }
  function send(text, shown) {
    if (!text) return;
    add("user", escapeHtml(shown || text));
    socket.emit("user_uttered", { message: text, session_id: sessionId });
  }
  function replies(buttons) {
    var box = document.createElement("div");
    box.className = "replies";
    buttons.forEach(function (b) {
      var btn = document.createElement("button");
      btn.type = "button";
      btn.textContent = b.title;
      btn.addEventListener("click", function () { send(b.payload, b.title); input.focus(); });
      box.appendChild(btn);
    });
    log.appendChild(box);
    scroll();
  }
  function card(payload) {
    var a = payload.assessment || {}, refs = payload.references || {}, order = Object.keys(refs);
    var wrap = document.createElement("div");
    wrap.className = "msg bot cards";
    wrap.setAttribute("data-testid", "recommendation");
    var head = '<p class="cards-head">Recommendation (' + escapeHtml(String(a.assessment || "").replace(/_/g, " ")) + ")" +
      (a.response_status ? " · response: " + escapeHtml(a.response_status.replace("_", " ")) : "") + "</p>";
    var cards = (a.recommendations || []).map(function (r, i) {
      var cites = (r.citations || []).slice().sort(function (x, y) {
        return order.indexOf(x) - order.indexOf(y);
      }).map(function (k) {
        var n = order.indexOf(k) + 1;
        return '<a href="#ref-' + escapeHtml(k) + '" aria-label="reference ' + n + '">[' + n + "]</a>";
      }).join(" ");
      var detail = markdown(String(r.detail || "").replace(/\[([a-z0-9-]+)\]/g, function (m, k) {
        var n = order.indexOf(k) + 1; return n ? "[" + n + "]" : m;
      }));
      return '<section class="card ' + escapeHtml(r.indicator) + '" aria-label="Recommendation ' + (i + 1) + '">' +
        '<h2><span class="badge">' + escapeHtml(r.indicator) + "</span>" + inline(r.summary) + "</h2>" + detail +
        (r.options && r.options.length ? '<p class="meta">Options: ' + escapeHtml(r.options.join(", ")) + "</p>" : "") +
        (r.avoid && r.avoid.length ? '<p class="meta">Avoid: ' + escapeHtml(r.avoid.join(", ")) + "</p>" : "") +
        '<p class="meta">Sources: ' + cites + "</p></section>";
    }).join("");
    var missing = (a.missing_inputs || []).length ?
      '<p class="meta">Still needed: ' + escapeHtml(a.missing_inputs.join(", ").replace(/_/g, " ")) + "</p>" : "";
    var list = '<ol class="refs" aria-label="References">' + order.map(function (k) {
      return '<li id="ref-' + escapeHtml(k) + '">' + escapeHtml(refs[k]) + "</li>";
    }).join("") + "</ol>";
    wrap.innerHTML = head + cards + missing + list +
      '<p class="meta"><em>' + escapeHtml(payload.disclaimer || "") + "</em></p>";
    log.appendChild(wrap);
    scroll();
  }

  socket.on("connect", function () {
    status.textContent = "Connected.";
    socket.emit("session_request", { session_id: sessionId });
  });
  socket.on("session_confirm", function (id) {
    sessionId = typeof id === "string" ? id : (id && id.session_id) || sessionId;
    sessionStorage.setItem("cds-session", sessionId);
  });
  socket.on("disconnect", function () { status.textContent = "Disconnected: reconnecting…"; });
  socket.on("connect_error", function () { status.textContent = "The assistant is not reachable: retrying…"; });
  socket.on("bot_uttered", function (m) {
    if (!m) return;
    if (m.custom && m.custom.type === "recommendation") {
      card(m.custom);  // the channel sends a recommendation as its card alone
      return;
    }
    if (m.text) add("bot", markdown(m.text));
    if (m.quick_replies && m.quick_replies.length) replies(m.quick_replies);
    if (m.buttons && m.buttons.length) replies(m.buttons);
  });

  form.addEventListener("submit", function (e) {
    e.preventDefault();
    var text = input.value.trim();
    input.value = "";
    send(text);
  });
  input.focus();
})();
