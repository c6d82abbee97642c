// The "Select all" box of django-import-export's export form. Upstream binds it with an inline
// onchange="…" attribute, which the Content-Security-Policy (script-src 'self') refuses to run;
// our copy of the template (templates/admin/import_export/export.html) loads this file instead.
"use strict";
document.addEventListener("DOMContentLoaded", () => {
  document.querySelectorAll("input.select-toggle").forEach((toggle) => {
    toggle.addEventListener("change", () => {
      document
        .querySelectorAll('.selectable-field-export-row input[type="checkbox"]')
        .forEach((checkbox) => {
          checkbox.checked = toggle.checked;
        });
    });
  });
});
