/* The "Embed / download" block next to each table (macros/render/templates/embed_block.html.j2).
 *
 * The page carries no snippet: `python -m macros export --all` wrote every format of every
 * variant (all / supported / no-notes / supported-no-notes) under downloads/<table>/<variant>/,
 * and the buttons fetch the chosen file when clicked. Links in those files are absolute: either
 * the site_url, or a placeholder replaced here by the site's address as this browser sees it.
 * Where fetch cannot read the files (a page opened from file://) the status line links to the
 * file instead. No library, no network beyond the site's own files.
 */
(function () {
  "use strict";

  function variantOf(block) {
    var parts = [];
    ["supported", "no-notes"].forEach(function (option) {
      var box = block.querySelector('input[data-tlskb-option="' + option + '"]');
      if (box && box.checked) { parts.push(option); }
    });
    return parts.join("-") || "all";
  }

  function fileUrl(block, name) {
    return block.dataset.tlskbFiles + variantOf(block) + "/" + name;
  }

  function siteRoot(block) {
    return new URL(block.dataset.tlskbRoot, window.location.href).href;
  }

  function fetchText(block, name) {
    return fetch(fileUrl(block, name)).then(function (response) {
      if (!response.ok) { throw new Error(response.status + " " + response.url); }
      return response.text();
    }).then(function (text) {
      return text.split(block.dataset.tlskbPlaceholder).join(siteRoot(block));
    });
  }

  /* Links follow the options, so a reader without the copy buttons gets the same files. */
  function updateLinks(block) {
    var variant = variantOf(block);
    block.querySelectorAll("a[data-tlskb-file]").forEach(function (link) {
      link.href = fileUrl(block, link.dataset.tlskbFile);
    });
    var page = block.querySelector("a[data-tlskb-embed-page]");
    if (page) { page.href = block.dataset.tlskbEmbedPages + (variant === "all" ? "" : variant + "/"); }
  }

  function say(block, message, link) {
    var status = block.querySelector(".tlskb-embed-status");
    status.textContent = message;
    if (link) {
      var anchor = document.createElement("a");
      anchor.href = link;
      anchor.textContent = link;
      status.appendChild(document.createTextNode(" "));
      status.appendChild(anchor);
    }
  }

  /* Rich text without the async clipboard (older browsers): select a rendered copy and copy it. */
  function copyByCommand(content, asHtml) {
    var holder = document.createElement(asHtml ? "div" : "textarea");
    holder.style.position = "fixed";
    holder.style.left = "-10000px";
    if (asHtml) { holder.innerHTML = content; holder.contentEditable = "true"; } else { holder.value = content; }
    document.body.appendChild(holder);
    var range = document.createRange();
    if (asHtml) {
      range.selectNodeContents(holder);
      var selection = window.getSelection();
      selection.removeAllRanges();
      selection.addRange(range);
    } else {
      holder.select();
    }
    var done = document.execCommand("copy");
    document.body.removeChild(holder);
    if (!done) { throw new Error("copy refused"); }
  }

  function blob(promise, type) {
    return promise.then(function (text) { return new Blob([text], {type: type}); });
  }

  /* ClipboardItem takes promises, so the click's user activation covers the fetch (Safari). */
  function copy(block, items) {
    if (window.ClipboardItem && navigator.clipboard && navigator.clipboard.write) {
      var parts = {};
      Object.keys(items).forEach(function (type) { parts[type] = blob(items[type], type); });
      return navigator.clipboard.write([new ClipboardItem(parts)]);
    }
    var html = items["text/html"];
    return (html || items["text/plain"]).then(function (text) { copyByCommand(text, Boolean(html)); });
  }

  function onCopy(block, button) {
    var rich = button.hasAttribute("data-tlskb-copy-table");
    var name = rich ? button.dataset.tlskbHtml : button.dataset.tlskbCopy;
    var items = {"text/plain": fetchText(block, rich ? button.dataset.tlskbText : name)};
    if (rich) { items["text/html"] = fetchText(block, name); }
    // A rejected promise nobody waits for would be reported twice; the status line says it once.
    Object.keys(items).forEach(function (type) { items[type].catch(function () {}); });
    copy(block, items).then(function () {
      say(block, block.dataset.tlskbCopied);
    }, function () {
      // The embed page shows the table itself: select it there and copy.
      var page = block.querySelector("a[data-tlskb-embed-page]");
      say(block, block.dataset.tlskbFailed, rich ? page.href : fileUrl(block, name));
    });
  }

  function setUp(block) {
    block.classList.add("tlskb-js");
    block.addEventListener("change", function () { updateLinks(block); say(block, ""); });
    block.addEventListener("click", function (event) {
      var button = event.target.closest("button[data-tlskb-copy], button[data-tlskb-copy-table]");
      if (button) { onCopy(block, button); }
    });
  }

  function start() { document.querySelectorAll("details[data-tlskb-embed]").forEach(setUp); }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
