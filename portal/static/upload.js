// Drag and drop onto the upload area: the dropped file goes into the form's file input.
(function () {
  var zone = document.getElementById("dropzone");
  var input = document.getElementById("file");
  var chosen = document.getElementById("chosen");
  if (!zone || !input) { return; }
  function show() { chosen.textContent = input.files.length ? input.files[0].name : ""; }
  input.addEventListener("change", show);
  ["dragenter", "dragover"].forEach(function (name) {
    zone.addEventListener(name, function (event) { event.preventDefault(); zone.classList.add("over"); });
  });
  ["dragleave", "drop"].forEach(function (name) {
    zone.addEventListener(name, function (event) { event.preventDefault(); zone.classList.remove("over"); });
  });
  zone.addEventListener("drop", function (event) {
    if (event.dataTransfer && event.dataTransfer.files.length) {
      input.files = event.dataTransfer.files;
      show();
    }
  });
})();
