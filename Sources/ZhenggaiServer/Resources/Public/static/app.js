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

// A form that does something that cannot simply be taken back (申请销号, 审核通过, 退回补正, 重新打开, 全部导入,
// 停用账号, 撤销…) says so in data-confirm, and the browser asks once before sending it. The server still
// checks everything: this only spares a slip of the mouse.
document.addEventListener("submit", (event) => {
  const form = event.target;
  const button = event.submitter;
  const message = (button && button.dataset.confirm) || form.dataset.confirm;
  // 撤销 asks for the reason that goes into the record; without JavaScript the form's default is sent.
  const reason = form.dataset.reason && form.querySelector("input[name=reason]");
  if (reason) {
    const given = window.prompt(form.dataset.reason, reason.value);
    if (given === null || given.trim() === "") {
      event.preventDefault();
      return;
    }
    reason.value = given.trim();
    return;
  }
  if (message && !window.confirm(message)) {
    event.preventDefault();
  }
});

// The person pickers: typing filters the list of people (a <datalist> would lose the id).
document.addEventListener("DOMContentLoaded", () => {
  for (const input of document.querySelectorAll("input[data-filter-for]")) {
    const select = document.getElementById(input.dataset.filterFor);
    if (!select) continue;
    const options = Array.from(select.options);
    input.addEventListener("input", () => {
      const text = input.value.trim();
      for (const option of options) {
        option.hidden = text !== "" && option.value !== "" && !option.textContent.includes(text);
      }
      const first = options.find((option) => !option.hidden && option.value !== "");
      // Typing a name means choosing that person: the first match replaces a hidden or empty choice.
      const current = select.selectedOptions[0];
      if (text !== "" && first && (!current || current.hidden || current.value === "")) first.selected = true;
    });
  }
});
