/*
 * Kindling form embed: <script async src="https://<kindling>/f/embed.js" data-form="<key>"></script>
 * renders the form in place of the script, styled by the page, posting to <kindling>/f/<key>. It builds every
 * element with the DOM API (no HTML strings), carries the visitor id of the tracking cookie so the prospect is linked
 * to the visitor's page views, and shows the form's messages next to fields the handler reported (?errors=…).
 */
(function () {
  "use strict";
  var script = document.currentScript;
  if (!script || !script.src) {
    return;
  }
  var key = script.getAttribute("data-form") || "";
  if (!/^[a-z0-9-]{3,64}$/.test(key)) {
    return;
  }
  var origin = new URL(script.src).origin;
  var holder = document.createElement("div");
  holder.className = "kindling-form";
  script.parentNode.insertBefore(holder, script);

  function visitorId() {
    var match = document.cookie.match(/(?:^|;\s*)kindling_vid=([A-Za-z0-9_-]{16,64})(?:;|$)/);
    return match ? match[1] : null;
  }

  function reported() {
    var errors = new URLSearchParams(window.location.search).get("errors");
    return errors ? errors.split(",") : [];
  }

  function render(definition) {
    var form = document.createElement("form");
    form.method = "post";
    form.action = origin + "/f/" + key;
    form.setAttribute("data-kindling-form", key);
    var errors = reported();
    definition.fields.forEach(function (field) {
      var id = "kindling-" + key + "-" + field.name;
      var row = document.createElement("p");
      var input;
      if (field.type === "textarea") {
        input = document.createElement("textarea");
      } else {
        input = document.createElement("input");
        input.type = field.type;
        if (field.type === "checkbox") {
          input.value = "true";
        }
      }
      input.name = field.name;
      input.id = id;
      input.required = field.required;
      var label = document.createElement("label");
      label.htmlFor = id;
      label.textContent = field.label;
      row.appendChild(label);
      row.appendChild(document.createTextNode(" "));
      row.appendChild(input);
      if (field.message) {
        input.addEventListener("invalid", function () {
          input.setCustomValidity(input.validity.valueMissing || input.validity.typeMismatch ? field.message : "");
        });
        input.addEventListener("input", function () {
          input.setCustomValidity("");
        });
      }
      if (errors.indexOf(field.name) >= 0) {
        var message = document.createElement("span");
        message.className = "kindling-error";
        message.id = id + "-error";
        message.textContent = field.message || "Please check this field";
        input.setAttribute("aria-invalid", "true");
        input.setAttribute("aria-describedby", message.id);
        row.appendChild(message);
      }
      form.appendChild(row);
    });
    if (definition.honeypot) {
      var trap = document.createElement("input");
      trap.type = "text";
      trap.name = "website_url";
      trap.tabIndex = -1;
      trap.autocomplete = "off";
      trap.setAttribute("aria-hidden", "true");
      trap.style.position = "absolute";
      trap.style.left = "-10000px";
      form.appendChild(trap);
    }
    var visitor = visitorId();
    if (visitor) {
      var hidden = document.createElement("input");
      hidden.type = "hidden";
      hidden.name = "kindling_visitor";
      hidden.value = visitor;
      form.appendChild(hidden);
    }
    var submit = document.createElement("button");
    submit.type = "submit";
    submit.textContent = "Submit";
    form.appendChild(submit);
    holder.appendChild(form);
  }

  // the visitor id lets a form with progressive profiling ask a known visitor only for what is not yet known
  var known = visitorId();
  fetch(origin + "/f/" + key + "/definition" + (known ? "?visitor=" + encodeURIComponent(known) : ""),
    {credentials: "omit"})
    .then(function (response) {
      return response.ok ? response.json() : null;
    })
    .then(function (definition) {
      if (definition) {
        render(definition);
      }
    });
})();
