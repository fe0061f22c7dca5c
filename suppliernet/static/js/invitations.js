// Invitations on the Suppliers list, as enhancements only: without this file the Invite link
// opens the invite page, and "all matching this filter" selects across pages.
"use strict";

async function openInviteDialog(url) {
  let response;
  try {
    response = await fetch(url, { credentials: "same-origin" });
  } catch {
    window.location.assign(url);
    return;
  }
  const page = new DOMParser().parseFromString(await response.text(), "text/html");
  const panel = page.querySelector("[data-invite-panel]");
  if (!response.ok || !panel) {
    window.location.assign(url);
    return;
  }
  const dialog = document.createElement("dialog");
  dialog.className = "invite-dialog";
  dialog.append(document.importNode(panel, true));
  const heading = dialog.querySelector("h1");
  if (heading) {
    heading.id = "invite-dialog-title";
    dialog.setAttribute("aria-labelledby", heading.id);
  }
  for (const cancel of dialog.querySelectorAll("[data-close-dialog]")) {
    cancel.addEventListener("click", (event) => {
      event.preventDefault();
      dialog.close();
    });
  }
  dialog.addEventListener("close", () => dialog.remove());
  document.body.append(dialog);
  dialog.showModal();
  const field = dialog.querySelector("textarea, input:not([type=hidden])");
  if (field) {
    // A new line after the prefilled address, so that typing adds another address instead of
    // mangling the first (new lines separate addresses).
    if (field.tagName === "TEXTAREA" && field.value && !field.value.endsWith("\n")) {
      field.value += "\n";
    }
    field.focus();
    field.setSelectionRange(field.value.length, field.value.length);
  }
}

document.addEventListener("DOMContentLoaded", () => {
  const selectPage = document.querySelector("[data-select-page]");
  if (selectPage) {
    selectPage.hidden = false;
    selectPage.addEventListener("change", () => {
      for (const box of selectPage.form.querySelectorAll('input[name="supplier"]')) {
        box.checked = selectPage.checked;
      }
    });
  }
  if (typeof HTMLDialogElement !== "function") {
    return;
  }
  for (const link of document.querySelectorAll("a[data-invite-dialog]")) {
    link.addEventListener("click", (event) => {
      event.preventDefault();
      openInviteDialog(link.href);
    });
  }
});
