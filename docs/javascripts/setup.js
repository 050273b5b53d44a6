/* "Your setup" (/setup/): select one of the answers computed at build time and show it.
 *
 * The answers are the resolver's (python -m macros export --all writes them under
 * api/v1/answers/): this script fetches answers/index.json, then the one file a choice needs.
 * It never builds HTML from data: every data string goes in through textContent, and a link's
 * href is set only for https:// sources. The choice lives in the URL query (?pg=16&platform=...),
 * so a permalink restores it. No library, no network beyond this site.
 */
(function () {
  "use strict";
  var root = document.getElementById("tlskb-setup");
  if (!root) { return; }
  var words = JSON.parse(document.getElementById("tlskb-setup-words").textContent);
  var form = document.getElementById("tlskb-setup-form");
  var output = document.getElementById("tlskb-setup-answer");
  var select = {
    pg: document.getElementById("tlskb-setup-pg"),
    platform: document.getElementById("tlskb-setup-platform"),
    openssl: document.getElementById("tlskb-setup-openssl"),
    min: document.getElementById("tlskb-setup-min"),
    profile: document.getElementById("tlskb-setup-profile")
  };
  var CONFIG = [["postgresql.conf", "conf_postgresql"], ["pg_hba.conf", "conf_hba"],
                ["system", "conf_system"], ["client", "conf_client"]];
  var index = null;
  var files = {};    // URL -> promise of the parsed file
  var showing = 0;   // the latest request wins when answers arrive out of order

  function say(key, params) {
    return (words[key] || key).replace(/\{(\w+)\}/g, function (all, name) {
      return params && Object.prototype.hasOwnProperty.call(params, name) ? String(params[name]) : all;
    });
  }

  function make(tag, text, className) {
    var node = document.createElement(tag);
    if (text !== undefined && text !== null) { node.textContent = text; }
    if (className) { node.className = className; }
    return node;
  }

  // A box that may scroll sideways is a labelled region in the tab order, as on the static pages
  // (macros/render/templates/table.html.j2): a keyboard reader can reach it and scroll it.
  function scrollRegion(node, label) {
    node.setAttribute("role", "region");
    node.setAttribute("aria-label", label);
    node.tabIndex = 0;
    return node;
  }

  function sourceNode(ref) {
    if (/^https:\/\//.test(ref)) {
      var link = make("a", ref);
      link.href = ref;
      return link;
    }
    return make("code", ref);  // code sources: "owner/repo path @ ref"
  }

  function sourcesNode(refs) {
    var span = make("span", null, "tlskb-sources");
    if (!refs || !refs.length) { return span; }
    span.appendChild(document.createTextNode(" " + say("sources") + " "));
    refs.forEach(function (ref, i) {
      if (i) { span.appendChild(document.createTextNode(", ")); }
      span.appendChild(sourceNode(ref));
    });
    return span;
  }

  function has(selectNode, value) {
    return Array.prototype.some.call(selectNode.options, function (o) { return o.value === value; });
  }

  function implied() {
    return select.platform.options[select.platform.selectedIndex].getAttribute("data-openssl");
  }

  function majorEntry() {
    return index.postgresql.filter(function (m) { return m.major === select.pg.value; })[0];
  }

  // Which series goes with the platform: the one it ships, or the reader's (else the newest buildable).
  function settleSeries(wanted) {
    var ships = implied();
    select.openssl.disabled = !!ships;
    if (ships) { select.openssl.value = ships; }
    else if (wanted && has(select.openssl, wanted)) { select.openssl.value = wanted; }
    else if (majorEntry() && majorEntry().suggested_openssl) { select.openssl.value = majorEntry().suggested_openssl; }
    var platform = index.platforms.filter(function (p) { return p.id === select.platform.value; })[0];
    document.getElementById("tlskb-setup-openssl-note").textContent =
      platform && !ships && platform.openssl_note ? platform.openssl_note : "";
  }

  function choiceQuery() {
    var query = new URLSearchParams();
    query.set("pg", select.pg.value);
    query.set("platform", select.platform.value);
    if (!implied()) { query.set("openssl", select.openssl.value); }
    if (select.min.value) { query.set("min", select.min.value); }
    if (select.profile.value) { query.set("profile", select.profile.value); }
    return query.toString();
  }

  function remember() {
    history.replaceState(null, "", "?" + choiceQuery() + location.hash);
    var permalink = document.getElementById("tlskb-setup-permalink");
    permalink.href = location.href;
    permalink.textContent = location.href;
  }

  function requestKey() {
    if (select.profile.value) { return "profile:" + select.profile.value; }
    if (select.min.value) { return "min_protocol:" + select.min.value; }
    return "default";
  }

  function load(url) {
    if (!files[url]) {
      files[url] = fetch(url).then(function (response) {
        if (!response.ok) { throw new Error(response.status + " " + url); }
        return response.json();
      });
      files[url].catch(function () { delete files[url]; });
    }
    return files[url];
  }

  function show() {
    remember();
    var ticket = ++showing;
    var system = implied() ? select.platform.value : select.platform.value + "-openssl-" + select.openssl.value;
    var entry = (majorEntry() ? majorEntry().systems : []).filter(function (s) { return s.id === system; })[0];
    output.textContent = "";
    if (!entry || !entry.file) {
      var none = make("p", say("no_answer") + " ", "tlskb-setup-error");
      none.appendChild(document.createTextNode(entry ? entry.error : system));
      output.appendChild(none);
      return;
    }
    output.appendChild(make("p", say("loading")));
    var url = new URL(entry.file, new URL(root.getAttribute("data-root"), location.href)).href;
    load(url).then(function (file) {
      if (ticket !== showing) { return; }
      output.textContent = "";
      render(file.answers[requestKey()], url);
    }).catch(function (error) {
      if (ticket !== showing) { return; }
      output.textContent = "";
      output.appendChild(make("p", say("failed", {error: error.message}), "tlskb-setup-error"));
    });
  }

  function render(answer, url) {
    var setup = answer.setup;
    output.appendChild(make("h2", say("heading", {postgresql: setup.postgresql, openssl: setup.openssl,
                                                  platform: select.platform.options[select.platform.selectedIndex].text})));
    output.appendChild(make("p", setup.profile ? say("request_profile", {profile: select.profile.options[select.profile.selectedIndex].text})
      : setup.min_protocol ? say("request_floor", {protocol: setup.min_protocol}) : say("request_none")));
    if (!answer.reachable) { output.appendChild(make("p", say("unreachable"), "tlskb-setup-error")); }
    output.appendChild(protocolTable(answer.protocols, changes(answer)));
    configSection(answer);
    verifySection(answer.verify);
    listSection("warnings", answer.warnings, function (w) {
      var item = make("li", w.text);
      item.setAttribute("data-kind", w.kind);
      item.appendChild(sourcesNode(w.sources));
      return item;
    });
    listSection("observations", answer.observations, function (o) {
      return make("li", say("observation", {file: o.file, postgresql: o.postgresql, openssl: o.openssl, date: o.date}));
    });
    var all = make("details");
    all.appendChild(make("summary", say("all_sources") + " (" + answer.sources.length + ")"));
    var list = make("ul");
    answer.sources.forEach(function (ref) { list.appendChild(make("li")).appendChild(sourceNode(ref)); });
    all.appendChild(list);
    output.appendChild(all);
    var json = make("p", say("json") + " ", "tlskb-asof");
    var link = make("a", url.replace(/^.*\/api\//, "api/"));
    link.href = url;
    json.appendChild(link);
    output.appendChild(json);
  }

  // What the server does once the answer's changes are in; null when there are none to make.
  function changes(answer) {
    var config = answer.config;
    var any = Object.keys(config).some(function (key) { return config[key].length; });
    return answer.after && any ? answer.after : null;
  }

  function protocolTable(protocols, after) {
    var wrapper = scrollRegion(make("div", null, "tlskb-scroll"), say("protocols"));
    var table = wrapper.appendChild(make("table", null, "tlskb-list tlskb-setup-protocols"));
    table.appendChild(make("caption", say("protocols")));
    var head = table.appendChild(make("thead")).appendChild(make("tr"));
    var columns = after ? ["protocol", "by_default", "after_changes", "can_enable", "why"]
      : ["protocol", "by_default", "can_enable", "why"];
    columns.forEach(function (key) {
      head.appendChild(make("th", say(key))).setAttribute("scope", "col");
    });
    var body = table.appendChild(make("tbody"));
    Object.keys(protocols).forEach(function (id) {
      var state = protocols[id];
      var row = body.appendChild(make("tr"));
      row.setAttribute("data-protocol", id);
      row.appendChild(make("th", id)).setAttribute("scope", "row");
      row.appendChild(make("td", say(state["default"]) + (state.known ? "" : " (" + say("not_known") + ")"),
                           "tlskb-" + state["default"]));
      if (after) { row.appendChild(make("td", say(after[id]), "tlskb-" + after[id])); }
      row.appendChild(make("td", say(state.possible ? "possible" : "impossible")));
      var reasons = make("ul");
      state.why.forEach(function (reason) {
        var item = reasons.appendChild(make("li", reason.text));
        item.appendChild(sourcesNode(reason.sources));
      });
      row.appendChild(make("td")).appendChild(reasons);
    });
    return wrapper;
  }

  // The theme's stylesheet makes the <code> in a <pre> the box that scrolls; its script makes only
  // the code blocks present at page load focusable, not these, which come later.
  function copyBlock(lines, name, label) {
    var block = make("div", null, "tlskb-setup-copy");
    block.setAttribute("data-config", name);
    var pre = block.appendChild(make("pre"));
    pre.appendChild(scrollRegion(make("code", lines.join("\n")), label));
    var button = block.appendChild(make("button", say("copy"), "md-button"));
    button.type = "button";
    button.addEventListener("click", function () {
      navigator.clipboard.writeText(lines.join("\n") + "\n").then(function () {
        button.textContent = say("copied");
      }, function () {
        button.textContent = say("copy_failed");
      });
    });
    return block;
  }

  function configSection(answer) {
    output.appendChild(make("h3", say("config")));
    var any = false;
    CONFIG.forEach(function (pair) {
      var lines = answer.config[pair[0]];
      if (!lines.length) { return; }
      any = true;
      output.appendChild(make("h4", say(pair[1])));
      output.appendChild(copyBlock(lines, pair[0], say(pair[1])));
    });
    if (!any) { output.appendChild(make("p", say("no_change"))); }
  }

  function verifySection(checks) {
    if (!checks.length) { return; }
    output.appendChild(make("h3", say("verify")));
    checks.forEach(function (check, i) {
      var expect = {protocol: check.protocol, expect: say(check.expect).toLowerCase(),
                    number: i + 1, count: checks.length};
      output.appendChild(make("p", say("expect", expect)));
      output.appendChild(copyBlock([check.command], "verify", say("verify_label", expect)));
    });
  }

  function listSection(key, items, item) {
    if (!items.length) { return; }
    output.appendChild(make("h3", say(key)));
    var list = output.appendChild(make("ul", null, "tlskb-setup-" + key));
    items.forEach(function (entry) { list.appendChild(item(entry)); });
  }

  function restore() {
    var query = new URLSearchParams(location.search);
    ["pg", "platform", "min", "profile"].forEach(function (name) {
      var value = query.get(name);
      if (value !== null && has(select[name], value)) { select[name].value = value; }
    });
    if (select.profile.value) { select.min.value = ""; }
    settleSeries(query.get("openssl"));
  }

  select.pg.addEventListener("change", function () { settleSeries(select.openssl.value); show(); });
  select.platform.addEventListener("change", function () { settleSeries(null); show(); });
  select.openssl.addEventListener("change", show);
  select.min.addEventListener("change", function () { if (select.min.value) { select.profile.value = ""; } show(); });
  select.profile.addEventListener("change", function () { if (select.profile.value) { select.min.value = ""; } show(); });
  form.addEventListener("submit", function (event) { event.preventDefault(); });

  load(new URL(root.getAttribute("data-index"), location.href).href).then(function (found) {
    index = found;
    document.getElementById("tlskb-setup-nojs").hidden = true;
    form.hidden = false;
    restore();
    show();
  }).catch(function (error) {
    output.appendChild(make("p", say("failed", {error: error.message}), "tlskb-setup-error"));
  });
}());
