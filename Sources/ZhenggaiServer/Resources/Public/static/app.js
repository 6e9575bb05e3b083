// Drag and drop for evidence uploads: dropped files go into the form's own file input, so the upload
// is the same plain form post as choosing files by hand (and works without this script too).
document.addEventListener("DOMContentLoaded", () => {
  for (const form of document.querySelectorAll("form[data-dropzone]")) {
    const zone = form.querySelector(".drop");
    const input = form.querySelector("input[type=file]");
    const chosen = form.querySelector(".chosen");
    const show = () => {
      chosen.textContent = Array.from(input.files).map((f) => `${f.name}（${Math.ceil(f.size / 1024)} KB）`).join("、");
    };
    input.addEventListener("change", show);
    for (const name of ["dragenter", "dragover"]) {
      zone.addEventListener(name, (event) => { event.preventDefault(); zone.classList.add("over"); });
    }
    for (const name of ["dragleave", "drop"]) {
      zone.addEventListener(name, () => zone.classList.remove("over"));
    }
    zone.addEventListener("drop", (event) => {
      event.preventDefault();
      input.files = event.dataTransfer.files;
      show();
    });
  }
});
