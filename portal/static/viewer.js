/* The viewer page: fetch the filing's viewer document and show it in the sandboxed frame as a
   data: URL, so that it runs with an opaque origin of its own, never the portal's
   (portal/reading/viewer.py says why). */
(function () {
  "use strict";
  var frame = document.getElementById("viewer-frame");
  var failed = document.getElementById("viewer-failed");
  if (!frame) { return; }
  fetch(frame.getAttribute("data-document"), {credentials: "same-origin"})
    .then(function (answer) {
      if (!answer.ok) { throw new Error(String(answer.status)); }
      return answer.arrayBuffer();
    })
    .then(function (buffer) {
      var bytes = new Uint8Array(buffer), binary = "";
      for (var i = 0; i < bytes.length; i += 32768) {
        binary += String.fromCharCode.apply(null, bytes.subarray(i, i + 32768));
      }
      frame.src = "data:text/html;charset=utf-8;base64," + btoa(binary);
    })
    .catch(function () {
      frame.hidden = true;
      failed.hidden = false;
    });
})();
