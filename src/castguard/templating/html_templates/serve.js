// castguard serve: drag and drop onto the upload form, and a word while the contract is read. Nothing else:
// the pages work without it (choose the file, press the button).
"use strict";
document.addEventListener("DOMContentLoaded", function () {
  var form = document.getElementById("upload");
  if (!form) return;
  var zone = document.getElementById("drop-zone");
  var input = document.getElementById("contract");
  var status = document.getElementById("status");
  function send() {
    if (!input.files || !input.files.length) return;
    status.textContent = "Reading " + input.files[0].name + " ...";
    form.submit();
  }
  input.addEventListener("change", send);
  ["dragenter", "dragover"].forEach(function (type) {
    zone.addEventListener(type, function (e) { e.preventDefault(); zone.classList.add("over"); });
  });
  ["dragleave", "drop"].forEach(function (type) {
    zone.addEventListener(type, function () { zone.classList.remove("over"); });
  });
  zone.addEventListener("drop", function (e) {
    e.preventDefault();
    if (!e.dataTransfer || !e.dataTransfer.files.length) return;
    input.files = e.dataTransfer.files;
    send();
  });
  form.addEventListener("submit", function () { status.textContent = "Reading the contract ..."; });
});
