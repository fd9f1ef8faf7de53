/*
 * Kindling tracking snippet. Embed with:
 *   <script async src="https://kindling.example.com/t/kindling.js"></script>
 * Sets the first-party cookie kindling_vid (2 years, SameSite=Lax), sends one page view to
 * <script origin>/t/collect with navigator.sendBeacon, and fills the hidden input
 * kindling_visitor in forms that post to <script origin>/f/. Sends nothing and sets no cookie
 * when Do-Not-Track is on or the page sets window.kindlingConsent = false.
 */
(function () {
  "use strict";
  var script = document.currentScript;
  if (!script || !script.src) { return; }
  if (navigator.doNotTrack === "1" || window.kindlingConsent === false) { return; }
  var origin;
  try { origin = new URL(script.src).origin; } catch (e) { return; }

  var COOKIE = "kindling_vid";
  var TWO_YEARS = 60 * 60 * 24 * 730;

  function readCookie() {
    var parts = document.cookie ? document.cookie.split("; ") : [];
    for (var i = 0; i < parts.length; i++) {
      var eq = parts[i].indexOf("=");
      if (parts[i].substring(0, eq) === COOKIE) {
        var value = parts[i].substring(eq + 1);
        return /^[A-Za-z0-9_-]{16,64}$/.test(value) ? value : null;
      }
    }
    return null;
  }

  function newId() {
    var bytes = new Uint8Array(16);
    (window.crypto || window.msCrypto).getRandomValues(bytes);
    var hex = "";
    for (var i = 0; i < bytes.length; i++) { hex += (bytes[i] + 256).toString(16).substring(1); }
    return hex;
  }

  var visitor = readCookie();
  if (!visitor) {
    visitor = newId();
    document.cookie = COOKIE + "=" + visitor + "; Max-Age=" + TWO_YEARS + "; Path=/; SameSite=Lax"
      + (location.protocol === "https:" ? "; Secure" : "");
  }

  var params = new URLSearchParams(location.search);
  var view = {
    visitorId: visitor,
    url: location.href.substring(0, 2000),
    title: (document.title || "").substring(0, 500),
    referrer: (document.referrer || "").substring(0, 2000)
  };
  ["utm_source", "utm_medium", "utm_campaign", "utm_term", "utm_content"].forEach(function (name) {
    var value = params.get(name);
    if (value) { view[name] = value.substring(0, 200); }
  });
  var body = JSON.stringify(view);
  var endpoint = origin + "/t/collect";
  if (navigator.sendBeacon) {
    navigator.sendBeacon(endpoint, body);
  } else if (window.fetch) {
    fetch(endpoint, { method: "POST", body: body, keepalive: true, mode: "no-cors",
      headers: { "Content-Type": "text/plain" } });
  }

  function decorate() {
    var forms = document.getElementsByTagName("form");
    for (var i = 0; i < forms.length; i++) {
      var action = forms[i].getAttribute("action") || "";
      var absolute;
      try { absolute = new URL(action, location.href).href; } catch (e) { continue; }
      if (absolute.indexOf(origin + "/f/") !== 0) { continue; }
      var input = forms[i].querySelector("input[name='kindling_visitor']");
      if (!input) {
        input = document.createElement("input");
        input.type = "hidden";
        input.name = "kindling_visitor";
        forms[i].appendChild(input);
      }
      input.value = visitor;
    }
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", decorate);
  } else {
    decorate();
  }
})();
