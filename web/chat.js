// Web chat widget for the Rasa socket.io channel (bot/custom/channels.py: WebChat). No framework, no CDN,
// no build step. Sections: helpers · markdown · transcript (sessionStorage) · messages and quick replies ·
// the recommendation card · the series chart · copy · welcome, typing, new patient · socket.
(function () {
  "use strict";
  var log = document.getElementById("log");
  var form = document.getElementById("composer");
  var input = document.getElementById("message");
  var status = document.getElementById("status");
  var STORE = "cds-chat", MAX_ITEMS = 80, MAX_CHARS = 1500000, TYPING_MS = 30000;
  var EXAMPLES = [
    "Trough imatinib level 1.2 µmol/L on 400 mg once daily, 24 months on treatment: is the level adequate?",
    "Can I reduce the dose? 400 mg for 5 years, BCR-ABL1 0.008 %, MMR for 30 months, grade 2 oedema",
    "How often should BCR-ABL1 be monitored after a dose reduction?"
  ];
  // titles and field labels come with each card (knowledge/fields.py names them once)

  // --- helpers ---------------------------------------------------------------------------------------
  function escapeHtml(s) {
    return String(s == null ? "" : s).replace(/[&<>"']/g, function (c) {
      return { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c];
    });
  }
  // el("p", {class: "x", text: "…"}, [children]): attributes are set as attributes, never parsed as HTML
  // (except "html", which callers only give escaped-first markup).
  function el(tag, attrs, children, ns) {
    var node = ns ? document.createElementNS(ns, tag) : document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) {
      var v = attrs[k];
      if (v == null || v === false) return;
      if (k === "text") node.textContent = v;
      else if (k === "html") node.innerHTML = v;
      else if (k === "onclick") node.addEventListener("click", v);
      else node.setAttribute(k, v);
    });
    (children || []).forEach(function (c) {
      if (c != null) node.appendChild(typeof c === "string" ? document.createTextNode(c) : c);
    });
    return node;
  }
  function button(title, onclick, cls) {
    return el("button", { type: "button", class: cls, text: title, onclick: onclick });
  }
  function safeId(s) { return String(s || "").replace(/[^A-Za-z0-9_-]/g, "").slice(0, 40); }
  function pct(v) {  // the value as given (12 → "12 %", 1.04 → "1.04 %"): never rounded across a threshold
    return String(Number(v)) + " %";
  }
  function scroll() { log.scrollTop = log.scrollHeight; }
  function say(text) { status.textContent = text; }
  function sentence(s) { s = String(s || ""); return s.charAt(0).toUpperCase() + s.slice(1); }

  // --- markdown: escaped first; **bold**, _italic_, `code`, lists, paragraphs, http(s) links only ------
  function styled(raw, cite) {
    var s = escapeHtml(raw)
      .replace(/\*\*(.+?)\*\*/g, "<strong>$1</strong>")
      .replace(/(^|[\s(])_(.+?)_(?=[\s.,;:)!?]|$)/g, "$1<em>$2</em>")
      .replace(/`(.+?)`/g, "<code>$1</code>");
    return cite ? cite(s) : s;
  }
  function inline(raw, cite) {
    var re = /\[([^\]\n]+)\]\((https?:\/\/[^\s)]+)\)|(https?:\/\/[^\s<>()"']*[^\s<>()"'.,;:!?])/gi;
    var out = "", last = 0, m;
    raw = String(raw == null ? "" : raw);
    while ((m = re.exec(raw))) {
      out += styled(raw.slice(last, m.index), cite) + '<a href="' + escapeHtml(m[2] || m[3]) +
        '" target="_blank" rel="noopener">' + escapeHtml(m[1] || m[3]) + "</a>";
      last = re.lastIndex;
    }
    return out + styled(raw.slice(last), cite);
  }
  function markdown(text, cite) {
    var html = [], list = null;
    String(text || "").split("\n").forEach(function (line) {
      var m = line.match(/^\s*(?:[-*]|(\d+)\.)\s+(.*)$/);
      if (m) {
        var kind = m[1] ? "ol" : "ul";
        if (list !== kind) { if (list) html.push("</" + list + ">"); html.push("<" + kind + ">"); list = kind; }
        html.push("<li>" + inline(m[2], cite) + "</li>");
      } else {
        if (list) { html.push("</" + list + ">"); list = null; }
        if (line.trim()) html.push("<p>" + inline(line, cite) + "</p>");
      }
    });
    if (list) html.push("</" + list + ">");
    return html.join("");
  }

  // --- transcript: the messages shown, kept in sessionStorage (bounded) with the socket session id ------
  var store = (function () {
    try {
      var s = JSON.parse(sessionStorage.getItem(STORE));
      if (s && Array.isArray(s.items)) return s;
    } catch (e) { /* a damaged store starts afresh */ }
    return { session: null, items: [] };
  })();
  function save() {
    var json = JSON.stringify(store);
    while ((store.items.length > MAX_ITEMS || json.length > MAX_CHARS) && store.items.length) {
      store.items.shift();
      json = JSON.stringify(store);
    }
    try { sessionStorage.setItem(STORE, json); } catch (e) { store.items = []; }
  }
  function remember(item) { store.items.push(item); save(); }

  // --- messages and quick replies ---------------------------------------------------------------------
  function append(node) {  // into the log, above the typing indicator
    log.insertBefore(node, typingEl && typingEl.parentNode === log ? typingEl : null);
    scroll();
    return node;
  }
  // each message says who said it to a screen reader ("You", "Assistant"): the bubbles alone do not
  function bubble(cls, html) {
    return append(el("div", { class: "msg " + cls, role: "article", "aria-label": cls === "user" ? "You" : "Assistant",
      html: html }));
  }
  // a reply set is open until one of its replies is chosen or the user sends anything else
  function closeReplies(chosen) {
    var open = log.querySelectorAll(".replies:not(.closed), .examples:not(.closed)");
    Array.prototype.forEach.call(open, function (box) {
      box.classList.add("closed");
      Array.prototype.forEach.call(box.querySelectorAll("button"), function (b) {
        if (b.textContent === chosen) { b.classList.add("chosen"); b.setAttribute("aria-pressed", "true"); }
        b.disabled = true;
      });
    });
  }
  function replies(buttons, label, cls) {
    var box = el("div", { class: cls || "replies", role: "group", "aria-label": label || "Replies" },
      buttons.map(function (b) {
        return button(b.title, function () { send(b.payload, b.title); input.focus(); });
      }));
    return append(box);
  }
  function showUser(text) { bubble("user", escapeHtml(text)); }
  function showBot(m) {
    if (m.custom && m.custom.type === "recommendation") {
      card(m.custom);  // the channel sends a recommendation as its card alone
      return;
    }
    if (m.custom && m.custom.type === "answer") {
      answer(m.custom);  // a general answer, with its own buttons
      return;
    }
    if (m.text) bubble("bot", markdown(m.text));
    var buttons = (m.quick_replies || []).concat(m.buttons || []).filter(function (b) { return b && b.title; });
    if (buttons.length) replies(buttons);
  }
  var pending = [];
  function emit(message) {
    if (store.session) socket.emit("user_uttered", { message: message, session_id: store.session });
    else pending.push(message);  // sent once the server confirms the session
  }
  function send(payload, shown) {
    if (!payload) return;
    if (payload.indexOf("/new_patient") === 0) { confirmNewPatient(payload); return; }
    shown = shown || payload;
    closeReplies(shown);
    showUser(shown);
    remember({ u: shown });
    emit(payload);
    typing(true);
  }

  // --- a general answer: its text, then "Copy answer" (plain text with its links) and "Sources" -------------
  function answer(p) {
    var node = bubble("bot", markdown(p.text)), title = String(p.title || "this answer");
    var note = el("span", { class: "copy-status", role: "status", "aria-live": "polite" });
    var buttons = p.note ? [button("Copy answer", function (e) { copy(String(p.note), note, e.currentTarget); },
      "copy")] : [];
    (p.buttons || []).filter(function (b) { return b && b.title && b.payload; }).forEach(function (b) {
      buttons.push(button(b.title, function () { send(b.payload, b.title); }));
    });
    buttons.forEach(function (b) { b.setAttribute("aria-label", b.textContent + " (" + title + ")"); });
    if (buttons.length) {
      node.appendChild(el("div", { class: "card-actions answer-actions", role: "group",
        "aria-label": "Actions of " + title }, buttons.concat([note])));
    }
    return node;
  }

  // --- the recommendation card --------------------------------------------------------------------------
  var cards = 0;
  // references: the contract's list [{n, key, text, url}] or, from older servers, an object key → text
  function referenceList(refs) {
    if (Array.isArray(refs)) {
      return refs.map(function (r, i) { return { n: r.n || i + 1, key: r.key, text: r.text, url: r.url }; });
    }
    return Object.keys(refs || {}).map(function (k, i) { return { n: i + 1, key: k, text: refs[k], url: null }; });
  }
  function referenceUrl(r) {
    if (r.url) return /^https?:\/\//i.test(r.url) ? r.url : null;
    var pmid = /PMID:?\s*(\d{5,9})/.exec(r.text || ""), doi = /doi:\s*(10\.\S+[^\s.,;])/i.exec(r.text || "");
    if (pmid) return "https://pubmed.ncbi.nlm.nih.gov/" + pmid[1] + "/";
    return doi ? "https://doi.org/" + doi[1] : null;
  }
  // [clark-2017], [2] or [1, 3] → numbered links to the entries of this card's reference list
  function citeLinks(prefix, refs) {
    var byKey = {};
    refs.forEach(function (r) { byKey[r.key] = r; byKey[String(r.n)] = r; });
    var seen = {};
    function link(r) {  // the label is the whole reference; the first citation of each is where "back" returns
      var id = seen[r.n] ? "" : ' id="' + prefix + "c" + r.n + '"';
      seen[r.n] = true;
      return '<a class="cite"' + id + ' href="#' + prefix + r.n + '" aria-label="Reference ' + r.n + ": " +
        escapeHtml(String(r.text)) + '">[' + r.n + "]</a>";
    }
    return {
      cited: function (n) { return !!seen[n]; },  // cited in the text built so far (a "back" link has somewhere to go)
      html: function (s) {
        return s.replace(/\[([^\[\]<>]+)\]/g, function (m, inside) {
          var found = inside.split(/\s*[,;]\s*/).map(function (k) { return byKey[k.trim()]; });
          if (found.some(function (r) { return !r; })) return m;
          return found.map(link).join("");
        });
      },
      list: function (keys) {
        return (keys || []).map(function (k) { return byKey[k]; }).filter(Boolean)
          .sort(function (a, b) { return a.n - b.n; }).map(link).join(" ");
      }
    };
  }
  function section(cls, heading, children) {
    return el("section", { class: cls }, [el("h3", { text: heading })].concat(children));
  }
  function recommendation(r, i, cite) {
    var indicator = /^(info|warning|critical)$/.test(r.indicator) ? r.indicator : "info";
    var label = { info: "Info", warning: "Warning", critical: "Critical" }[indicator];
    return el("section", { class: "card " + indicator, "aria-label": "Recommendation " + (i + 1) + ", " + label }, [
      el("h3", { html: '<span class="badge">' + label + "</span> " + inline(r.summary, cite.html) }),
      el("div", { class: "detail", html: markdown(r.detail, cite.html) }),
      r.options && r.options.length ? el("p", { class: "meta", text: "Options: " + r.options.join("; ") }) : null,
      r.avoid && r.avoid.length ? el("p", { class: "meta avoid", text: "Avoid: " + r.avoid.join("; ") }) : null,
      (r.citations || []).length ? el("p", { class: "meta", html: "Sources: " + cite.list(r.citations) }) : null
    ]);
  }
  function basedOn(items) {
    return section("based-on", "Based on", [el("ul", {}, items.map(function (b) {
      var how = /^(typed|converted|implied|assumed)$/.test(b.how) ? b.how : null;
      // where the value came from, in words: the server's (knowledge/card.py Basis.origin); older payloads had none
      var tag = b.origin ? String(b.origin) : how === "converted" && b.from ? "converted from " + b.from
        : how === "implied" && b.from ? "implied by " + b.from
        : how === "assumed" ? "assumed: not given" : how === "typed" ? "you wrote" : null;
      return el("li", {}, [el("span", { class: "bo-label", text: b.label + ": " }), el("span", { text: b.value }),
        tag ? el("span", { class: "tag " + how, text: tag }) : null]);
    }))]);
  }
  function card(payload) {
    var a = payload.assessment || {}, refs = referenceList(payload.references);
    var id = safeId(payload.card_id) || "c" + (cards + 1);
    while (document.getElementById("card-" + id)) id += "-" + (cards + 1);
    cards += 1;
    var prefix = "ref-" + id + "-", cite = citeLinks(prefix, refs);
    var named = String(a.assessment || "recommendation").replace(/_/g, " ");
    var title = payload.title || named.charAt(0).toUpperCase() + named.slice(1);
    var missing = payload.missing ? payload.missing.map(function (m) { return m.label; })
      : (a.missing_inputs || []).map(function (f) { return f.replace(/_/g, " "); });
    var wrap = el("article", { class: "msg bot rec", id: "card-" + id, "data-testid": "recommendation",
      "data-card-id": id, "data-rule-set": a.rule_set_version || null, "aria-labelledby": "card-" + id + "-title" }, [
      el("header", { class: "rec-head" }, [
        el("h2", { id: "card-" + id + "-title", text: title }),
        el("a", { class: "skip", href: "#card-" + id + "-actions", text: "Skip to this card's buttons" }),
        a.response_status ? el("p", { class: "rec-status " + safeId(a.response_status),
          text: "Response: " + a.response_status.replace(/_/g, " ") }) : null
      ]),
      // the bottom line first: one sentence from the recommendations, as a clinician writes it in the notes
      payload.bottom_line && !(a.conflicts || []).length ?  // a conflict is its own alert, just below
        el("p", { class: "bottom-line", text: String(payload.bottom_line) }) : null
    ].concat((a.conflicts || []).length ? [el("div", { class: "conflicts", role: "alert" }, [
        el("p", { class: "conflicts-head", text: "Conflicting values, please check:" }),
        el("ul", {}, a.conflicts.map(function (c) { return el("li", { text: String(c.message) }); }))])] : [],
      (a.recommendations || []).map(function (r, i) { return recommendation(r, i, cite); }), [
      (a.recommendations || []).length ? null : el("p", { class: "meta", text: "No recommendation yet." }),
      missing.length ? el("p", { class: "missing", text: "Still needed: " + missing.join(", ") }) : null,
      (payload.findings || []).length ? section("findings", "What the levels mean", [el("ul", {},
        payload.findings.map(function (f) { return el("li", { html: inline(f, cite.html) }); }))]) : null,
      payload.series && (payload.series.points || []).length ? seriesFigure(payload.series, id) : null,
      (payload.based_on || []).length ? basedOn(payload.based_on) : null,
      (a.assumptions || []).length ? section("assumptions", "Assumptions",
        [el("ul", {}, a.assumptions.map(function (s) { return el("li", { text: s }); }))]) : null,
      refs.length ? section("references", "References", [el("ol", { class: "refs" }, refs.map(function (r) {
        var url = referenceUrl(r);
        return el("li", { id: prefix + r.n, value: r.n, tabindex: "-1" }, [String(r.text) + " ",
          url ? el("a", { href: url, target: "_blank", rel: "noopener",
            text: /pubmed/.test(url) ? "PubMed" : /doi\.org/.test(url) ? "DOI" : "Link" }) : null,
          cite.cited(r.n) ? el("a", { class: "back", href: "#" + prefix + "c" + r.n, text: "↩",
            "aria-label": "Back to where reference " + r.n + " is cited" }) : null]);
      }))]) : null,
      el("p", { class: "rec-disclaimer", text: payload.disclaimer ||
        "Decision support for clinicians only: not a substitute for clinical judgement." }),
      cardActions(payload, id, title)
    ]));
    return append(wrap);
  }
  function cardActions(payload, id, title) {
    var note = el("span", { class: "copy-status", role: "status", "aria-live": "polite" });
    var buttons = (payload.buttons || []).filter(function (b) { return b && b.title && b.payload; })
      .map(function (b) { return button(b.title, function () { send(b.payload, b.title); }); });
    if (payload.note) {
      buttons.push(button("Copy as note", function (e) { copy(payload.note, note, e.currentTarget); }, "copy"));
    }
    if (payload.note_full) {  // the whole card as text: every recommendation, its detail and every reference
      buttons.push(button("Copy full note", function (e) { copy(payload.note_full, note, e.currentTarget); },
        "copy"));
    }
    buttons.forEach(function (b) { b.setAttribute("aria-label", b.textContent + " (" + title + ")"); });  // which card
    return buttons.length ? el("div", { class: "card-actions", id: "card-" + id + "-actions", role: "group",
      "aria-label": "Actions of " + title, tabindex: "-1" }, buttons.concat([note])) : null;
  }

  // --- the series: BCR-ABL1 % IS on a log scale, drawn by hand as inline SVG ------------------------------
  // (no chart library: one small chart type, and the widget has no build step and no CDN)
  var SVG = "http://www.w3.org/2000/svg";
  var W = 340, H = 232, L = 50, R = 62, T = 10, B = 36;  // the chart's box and margins, in SVG units
  function s(tag, attrs, children) { return el(tag, attrs, children, SVG); }
  function pointText(p) { return p.label || pct(p.value) + " at " + p.months + " months"; }
  function pointStatus(p) { return /^(optimal|warning|failure)$/.test(p.status) ? p.status : "unknown"; }
  // decades from 0.001 % (lower if a result is lower) to 100 %; months from 0 past the last point or milestone
  function scale(pts, marks) {
    var values = pts.map(function (p) { return p.value; }).filter(function (v) { return v > 0; }).concat([1]);
    var lo = Math.max(-5, Math.min(-3, Math.floor(Math.log10(Math.min.apply(null, values)))));
    var hi = Math.max(2, Math.ceil(Math.log10(Math.max.apply(null, values))));
    var last = Math.max.apply(null, [12].concat(pts.concat(marks).map(function (p) { return p.months; })));
    var step = last <= 24 ? 3 : last <= 60 ? 6 : 12;
    var xMax = Math.ceil((last + step / 2) / step) * step;  // the newest point is never on the edge
    return {
      lo: lo, hi: hi, step: step, xMax: xMax,
      x: function (m) { return L + m / xMax * (W - L - R); },
      y: function (v) { return T + (hi - Math.log10(Math.max(v, Math.pow(10, lo)))) / (hi - lo) * (H - T - B); }
    };
  }
  function axes(sc) {
    var g = [], k, m;
    for (k = sc.lo; k <= sc.hi; k++) {
      var yk = sc.y(Math.pow(10, k));
      g.push(s("line", { class: "grid", x1: L, x2: W - R, y1: yk, y2: yk }));
      g.push(s("text", { class: "tick", x: L - 4, y: yk + 3.5, "text-anchor": "end",
        text: (k >= 0 ? Math.pow(10, k) : Math.pow(10, k).toFixed(-k)) + " %" }));
    }
    for (m = 0; m <= sc.xMax; m += sc.step) {
      g.push(s("text", { class: "tick", x: sc.x(m), y: H - B + 13, "text-anchor": "middle", text: String(m) }));
    }
    return g.concat([
      s("line", { class: "axis", x1: L, x2: W - R, y1: H - B, y2: H - B }),
      s("line", { class: "axis", x1: L, x2: L, y1: T, y2: H - B }),
      s("text", { class: "axis-title", x: (L + W - R) / 2, y: H - 4, "text-anchor": "middle",
        text: "Months on imatinib" }),
      s("text", { class: "axis-title", x: 11, y: (T + H - B) / 2, "text-anchor": "middle",
        transform: "rotate(-90 11 " + (T + H - B) / 2 + ")", text: "BCR-ABL1 % IS (log)" })
    ]);
  }
  // at each milestone a narrow band of zones (≤ optimal, between, > failure): a tint, and a hatch for warning
  // and failure so that colour is never the only cue; each zone's threshold is in its <title>
  function bands(marks, sc, id) {
    var g = [], bw = 14, top = sc.y(Math.pow(10, sc.hi)), bottom = sc.y(Math.pow(10, sc.lo));
    marks.forEach(function (a, i) {  // bands never overlap
      if (i) bw = Math.min(bw, Math.abs(sc.x(a.months) - sc.x(marks[i - 1].months)) - 2);
    });
    bw = Math.max(bw, 4);
    g.push(s("defs", {}, ["warning", "failure"].map(function (z) {
      return s("pattern", { id: "hatch-" + id + "-" + z, width: 6, height: 6, patternUnits: "userSpaceOnUse",
        patternTransform: z === "failure" ? "rotate(45)" : "rotate(-45)" },
        [s("line", { x1: 0, y1: 0, x2: 0, y2: 6, class: "hatch " + z })]);
    })));
    marks.forEach(function (ms) {
      var fail = ms.failure == null ? top : sc.y(ms.failure);
      var between = "> " + pct(ms.optimal) + (ms.failure == null ? "" : " to " + pct(ms.failure));
      var zones = [["optimal", sc.y(ms.optimal), bottom, "≤ " + pct(ms.optimal)],
        ["warning", fail, sc.y(ms.optimal), between]];
      if (ms.failure != null) zones.push(["failure", top, fail, "> " + pct(ms.failure)]);
      zones.forEach(function (z) {
        var box = { x: sc.x(ms.months) - bw / 2, width: bw, y: z[1], height: Math.max(0, z[2] - z[1]) };
        g.push(s("rect", Object.assign({ class: "band " + z[0] }, box),
          [s("title", { text: ms.months + " months: " + z[0] + " " + z[3] })]));
        if (z[0] !== "optimal") {
          g.push(s("rect", Object.assign({ class: "band-hatch", fill: "url(#hatch-" + id + "-" + z[0] + ")" }, box)));
        }
      });
    });
    return g;
  }
  // the points by status: circle optimal, diamond warning, square failure, hollow circle at no milestone
  function points(pts, sc) {
    var trend = pts.map(function (p) { return sc.x(p.months) + "," + sc.y(p.value); }).join(" ");
    return [s("polyline", { class: "trend", points: trend })].concat(pts.map(function (p) {
      var cx = sc.x(p.months), cy = sc.y(p.value), st = pointStatus(p);
      var shape = st === "failure" ? s("rect", { x: cx - 5, y: cy - 5, width: 10, height: 10 })
        : st === "warning" ? s("path", { d: "M" + cx + " " + (cy - 6.5) + "l6.5 6.5-6.5 6.5-6.5-6.5z" })
          : s("circle", { cx: cx, cy: cy, r: 5 });
      shape.setAttribute("class", "pt " + st);
      shape.appendChild(s("title", { text: pointText(p) + (p.status ? ": " + p.status : "") }));
      return shape;
    }));
  }
  function seriesFigure(series, id) {
    var pts = series.points.filter(function (p) { return isFinite(p.months) && isFinite(p.value); })
      .sort(function (a, b) { return a.months - b.months; });
    var marks = series.milestones || [], lines = series.lines || [], sc = scale(pts, marks);
    var refLines = [], names = lines.map(function (l) { return l.label || pct(l.value); });
    lines.forEach(function (l, i) {  // MMR, MR4: dashed, named at the right
      refLines.push(s("line", { class: "ref-line", x1: L, x2: W - R, y1: sc.y(l.value), y2: sc.y(l.value) }));
      refLines.push(s("text", { class: "ref-label", x: W - R + 3, y: sc.y(l.value) + 3.5, text: names[i] }));
    });
    var label = "BCR-ABL1 results on a log scale over months on imatinib: " + pts.map(function (p) {
      return pointText(p) + (p.status ? " (" + p.status + ")" : "");
    }).join(", ") + "." +
      (lines.length ? " Dashed lines: " + names.join(", ") + "." : "") +
      (marks.length ? " Milestones at " + marks.map(function (ms) { return ms.months; }).join(", ") + " months." : "") +
      (series.change ? " " + sentence(series.change) + "." : "");
    var svg = s("svg", { class: "chart", viewBox: "0 0 " + W + " " + H, role: "img", "aria-label": label },
      bands(marks, sc, id).concat(axes(sc), refLines, points(pts, sc)));
    var zones = ["optimal", "warning", "failure"];
    var legend = el("ul", { class: "legend", "aria-label": "Legend" }, zones.map(function (z) {
      var swatch = el("span", { class: "swatch " + z, "aria-hidden": "true" });
      return el("li", {}, [swatch, sentence(z) + " zone / result"]);
    }).concat(lines.length ? [el("li", {}, [el("span", { class: "swatch dashed", "aria-hidden": "true" }),
      "Dashed: " + names.join(", ")])] : []));
    var table = el("table", { class: "series-table" }, [
      el("caption", { text: "BCR-ABL1 results" }),
      el("thead", {}, [el("tr", {}, ["Month", "BCR-ABL1 % IS", "Status"].map(function (h) {
        return el("th", { scope: "col", text: h });
      }))]),
      el("tbody", {}, pts.map(function (p) {
        return el("tr", {}, [el("td", { text: String(p.months) }), el("td", { text: pct(p.value) }),
          el("td", { class: p.status ? "st " + pointStatus(p) : null, text: p.status || "not at a milestone" })]);
      }))
    ]);
    return el("figure", { class: "series" }, [el("div", { class: "series-chart" }, [svg, legend]), table,
      el("figcaption", { text: sentence(series.change) || "BCR-ABL1 over time, with the response milestones." })]);
  }

  // --- copy as note: the clipboard API, else a hidden textarea and execCommand, else the text to select ---
  function copy(text, note, from) {
    function done(ok) {
      note.textContent = ok ? "Copied" : "Could not copy: the note is shown below, select it and copy.";
      if (!ok && !note.parentNode.querySelector("textarea")) {
        var area = el("textarea", { class: "note-text", readonly: "", rows: 8, "aria-label": "Clinical note" });
        area.value = text;
        note.parentNode.appendChild(area);
        area.select();
      }
    }
    function fallback() {
      var area = el("textarea", { class: "clip", readonly: "", "aria-hidden": "true", tabindex: "-1" }), ok = false;
      area.value = text;
      document.body.appendChild(area);
      area.select();
      try { ok = document.execCommand("copy"); } catch (e) { ok = false; }
      area.remove();
      if (from) from.focus();
      return ok;
    }
    if (navigator.clipboard && navigator.clipboard.writeText) {
      navigator.clipboard.writeText(text).then(function () { done(true); }, function () { done(fallback()); });
    } else {
      done(fallback());
    }
  }

  // --- welcome, typing indicator, new patient ----------------------------------------------------------
  function welcome() {
    var box = bubble("bot welcome", "<p><strong>Ask about a patient or a general question</strong> on imatinib " +
      "dosing in chronic myeloid leukaemia. Give values as you would write them in the notes. For example:</p>");
    box.setAttribute("data-testid", "welcome");
    replies(EXAMPLES.map(function (t) { return { title: t, payload: t }; }), "Example messages", "examples");
  }
  var typingEl = null, typingTimer = null;
  function typing(on) {
    clearTimeout(typingTimer);
    if (typingEl) typingEl.remove();
    typingEl = null;
    if (!on) return;
    typingEl = el("div", { class: "typing", "data-testid": "typing" }, [1, 2, 3].map(function () {
      return el("span", { class: "dot", "aria-hidden": "true" });
    }).concat([el("span", { class: "visually-hidden", text: "The assistant is replying…" })]));
    log.appendChild(typingEl);
    scroll();
    typingTimer = setTimeout(function () {
      typing(false);
      say("No reply yet: the assistant may be busy. Send your message again in a moment.");
    }, TYPING_MS);
  }
  function newPatient(payload) {
    emit(payload || "/new_patient");
    store.items = [];
    save();
    log.textContent = "";
    typing(false);
    welcome();
    typing(true);
    say("New patient: the conversation on screen was cleared.");
    input.focus();
  }
  // "New patient" clears the screen and ends the open assessment on the server: asked first, never by a slip
  function confirmNewPatient(payload) {
    var open = document.getElementById("confirm-new");
    if (open) open.parentNode.removeChild(open);
    var from = document.activeElement;
    var bar = el("div", { id: "confirm-new", class: "confirm", role: "alertdialog", "aria-modal": "false",
      "aria-labelledby": "confirm-new-text" }, [
      el("p", { id: "confirm-new-text",
        text: "Start a new patient? This clears the conversation on screen and ends the open assessment." }),
      button("Clear and start", function () { bar.parentNode.removeChild(bar); newPatient(payload); }, "danger"),
      button("Keep this conversation", function () {
        bar.parentNode.removeChild(bar);
        (from && from.focus ? from : input).focus();
      })
    ]);
    document.querySelector(".top").appendChild(bar);
    bar.querySelector("button").focus();
  }
  document.getElementById("new-patient").addEventListener("click", function () { confirmNewPatient(); });

  // print: the date and time, the rule set of the last card, and page numbers (chat.css @page)
  window.addEventListener("beforeprint", function () {
    var sets = [].map.call(document.querySelectorAll("[data-rule-set]"), function (c) {
      return c.getAttribute("data-rule-set");
    });
    document.getElementById("print-head").textContent = "Printed " + new Date().toLocaleString() +
      (sets.length ? " · rule set " + sets[sets.length - 1] : "") + " · decision support, not a substitute for " +
      "clinical judgement";
  });

  // citations: Enter or click moves the focus to the reference entry of the same card, and its ↩ back
  log.addEventListener("click", function (e) {
    var a = e.target.closest ? e.target.closest("a.cite, a.back, a.skip") : null;
    var target = a && document.getElementById(a.getAttribute("href").slice(1));
    if (!target) return;
    e.preventDefault();
    target.focus({ preventScroll: true });
    target.scrollIntoView({ block: "center" });
  });

  // --- restore the transcript, then connect -------------------------------------------------------------
  store.items.forEach(function (item) {
    if (item.u != null) { closeReplies(item.u); showUser(item.u); } else if (item.b) showBot(item.b);
  });
  if (!store.items.length) welcome();

  var socket = io(window.location.origin, { path: "/socket.io", transports: ["websocket", "polling"] });
  socket.on("connect", function () {
    say("Connected.");
    socket.emit("session_request", { session_id: store.session });
  });
  socket.on("session_confirm", function (id) {
    store.session = typeof id === "string" ? id : (id && id.session_id) || store.session;
    save();
    pending.splice(0).forEach(emit);
  });
  socket.on("disconnect", function () { say("Disconnected: reconnecting…"); });
  socket.on("connect_error", function () { say("The assistant is not reachable: retrying…"); });
  socket.on("bot_uttered", function (m) {
    if (!m || typeof m !== "object") return;
    typing(false);
    if (status.textContent.indexOf("No reply yet") === 0) say("Connected.");
    showBot(m);
    remember({ b: m });
  });

  // a link from the EHR (the CDS Hooks service's cards) opens the chat on a case: "#say=<message>" in the
  // fragment (never sent to the server as part of the URL); sent once, then removed from the address
  // A link is always a patient of its own: the conversation on screen is closed first (/new_patient), so
  // one patient's case never lands in another's open assessment; a second link in the same tab too.
  function openLink() {
    var said = /^#say=(.+)$/.exec(window.location.hash || "");
    if (!said) return;
    history.replaceState(null, "", window.location.pathname + window.location.search);
    var text;
    try { text = decodeURIComponent(said[1]).slice(0, 2000); } catch (err) { return; }  // a malformed link
    newPatient();
    send(text);
  }
  openLink();
  window.addEventListener("hashchange", openLink);

  form.addEventListener("submit", function (e) {
    e.preventDefault();
    var text = input.value.trim();
    input.value = "";
    send(text);
  });
  input.focus();
})();
